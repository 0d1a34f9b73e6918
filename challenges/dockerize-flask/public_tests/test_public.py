"""Public checks for the packaging: run them while you work."""

from __future__ import annotations


def test_health(client):
    """The app behind wsgi:app answers /health"""
    assert client.get("/health").get_json()["status"] == "ok"


def test_no_debug_in_production(learner):
    """The WSGI entry point does not enable debug mode"""
    assert learner.eval("app.debug") is False
