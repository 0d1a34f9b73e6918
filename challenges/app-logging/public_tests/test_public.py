"""Public checks for logging: run them while you work."""

from __future__ import annotations


def test_failed_login_is_a_warning(client, learner_output):
    """A failed login is logged as a warning"""
    assert client.post("/login", json={"username": "ann", "password": "nope"}).status_code == 401
    assert "WARNING" in learner_output() and "failed login for ann" in learner_output()


def test_division_by_zero_is_handled(client):
    """Dividing by zero is a 400, not a crash"""
    r = client.get("/divide", query_string={"a": "1", "b": "0"})
    assert r.status_code == 400
    assert r.get_json() == {"error": "b must not be zero"}
