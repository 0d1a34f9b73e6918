"""Public checks for the rate limits: run them while you work."""

from __future__ import annotations

# the proxy in front of the app appends the client's address
CLIENT = {"X-Forwarded-For": "203.0.113.9"}


def test_quotes_are_limited(client):
    """The sixth call to /api/quotes within a minute is refused with 429"""
    codes = [client.get("/api/quotes", headers=CLIENT).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429], "Five calls per minute, then 429 Too Many Requests"


def test_refusal_says_when_to_retry(client):
    """A refused call says when to retry"""
    for _ in range(5):
        client.get("/api/quotes", headers=CLIENT)
    r = client.get("/api/quotes", headers=CLIENT)
    assert r.status_code == 429
    assert r.headers.get("Retry-After", "").isdigit(), "Send Retry-After in seconds"
