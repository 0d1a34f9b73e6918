"""Hidden tests: the SDK is set up from the environment, and only when a DSN is there."""

from __future__ import annotations

import pytest

DSN = "https://public@o0.ingest.sentry.example/1"
OPTIONS = (
    "{k: __import__('sentry_sdk').get_client().options.get(k)"
    " for k in ('dsn', 'environment', 'release', 'send_default_pii')}"
)


@pytest.mark.points(10)
def test_off_without_a_dsn(client, learner):
    """Without SENTRY_DSN nothing is reported, and errors still answer JSON"""
    assert learner.eval("__import__('sentry_sdk').get_client().is_active()") is False, (
        "Without SENTRY_DSN the SDK must stay off: no DSN in the code"
    )
    r = client.get("/orders/2/invoice")
    assert r.status_code == 500, "The invoice of order 2 fails: that bug stays in"
    assert r.get_json() == {"error": "internal server error", "event_id": None}, (
        "A 500 answers JSON with an event_id, null when nothing was reported"
    )


@pytest.mark.learner_env(SENTRY_DSN=DSN, SENTRY_ENVIRONMENT="staging")
@pytest.mark.points(10)
def test_options_from_the_environment(learner):
    """The DSN and the environment come from the environment, the release from the version"""
    options = learner.eval(OPTIONS)
    assert options["dsn"] == DSN, "Read the DSN from SENTRY_DSN"
    assert options["environment"] == "staging", "Read the environment from SENTRY_ENVIRONMENT"
    assert options["release"] == "bakery@1.4.0", "Name the release bakery@<VERSION>"
    assert not options["send_default_pii"], "Personal data stays out of the events"
    assert "flask" in learner.eval("list(__import__('sentry_sdk').get_client().integrations)"), (
        "Enable the Flask integration"
    )
