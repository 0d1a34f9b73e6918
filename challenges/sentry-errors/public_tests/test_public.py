"""Public checks for error tracking: run them with `grader test` while you work."""

from __future__ import annotations

import pytest

DSN = "https://public@o0.ingest.sentry.example/1"


def test_sentry_is_off_without_a_dsn(learner):
    """Without SENTRY_DSN the SDK stays off"""
    assert learner.eval("__import__('sentry_sdk').get_client().is_active()") is False


@pytest.mark.learner_env(SENTRY_DSN=DSN)
def test_unhandled_error_is_reported(client, sentry_events):
    """An error in a view is reported, and the answer gives its event id"""
    r = client.get("/orders/2/invoice")
    assert r.status_code == 500
    events = sentry_events()
    assert len(events) == 1, "One error, one event"
    assert r.get_json()["event_id"] == events[0]["event_id"]
