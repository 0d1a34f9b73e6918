"""Hidden tests: per-client limits on the API, with headers a client can act on."""

from __future__ import annotations

import pytest

ANN = {"X-Forwarded-For": "203.0.113.9"}
BOB = {"X-Forwarded-For": "198.51.100.4"}


def spend(client, path: str, headers: dict, times: int) -> list[int]:
    return [client.get(path, headers=headers).status_code for _ in range(times)]


@pytest.mark.points(20)
def test_quotes_limit_answers_429_with_retry_after(client):
    """After five calls in a minute, /api/quotes answers 429 in JSON with Retry-After"""
    assert spend(client, "/api/quotes", ANN, 5) == [200] * 5, "Five calls a minute are allowed"
    r = client.get("/api/quotes", headers=ANN)
    assert r.status_code == 429, "The sixth call within the minute is Too Many Requests"
    assert r.mimetype == "application/json", "An API answers its errors in JSON, 429 included"
    assert r.get_json() == {"error": "too many requests", "limit": "5 per 1 minute"}, (
        "Say which limit was hit: the exception's description names it"
    )
    retry = r.headers.get("Retry-After", "")
    assert retry.isdigit() and 1 <= int(retry) <= 60, (
        "Retry-After tells the client how many seconds to wait"
    )


@pytest.mark.points(10)
def test_clients_see_their_budget(client):
    """Successful answers show the limit and what is left of it"""
    first = client.get("/api/quotes", headers=ANN)
    assert first.status_code == 200, "The first call is allowed"
    assert first.headers.get("X-RateLimit-Limit") == "5", "Tell clients their limit"
    assert first.headers.get("X-RateLimit-Remaining") == "4", "Tell clients what is left"
    assert client.get("/api/quotes", headers=ANN).headers.get("X-RateLimit-Remaining") == "3", (
        "The remaining count goes down with each call"
    )


@pytest.mark.points(15)
def test_each_client_has_its_own_budget(client):
    """One client using up its limit does not block another"""
    assert spend(client, "/api/quotes", ANN, 6)[-1] == 429, "Ann uses up her limit"
    assert client.get("/api/quotes", headers=BOB).status_code == 200, (
        "Bob has his own budget: the key must be the client's address, not the proxy's"
    )


@pytest.mark.points(15)
def test_forged_forwarded_for_does_not_reset_the_budget(client):
    """A client cannot escape the limit by inventing X-Forwarded-For values"""
    codes = [
        client.get("/api/quotes",
                   headers={"X-Forwarded-For": f"10.0.0.{n}, 203.0.113.9"}).status_code
        for n in range(6)
    ]
    assert codes == [200] * 5 + [429], (
        "Only the address your own proxy appended (the last one) identifies the client"
    )


@pytest.mark.points(20)
def test_default_limit_and_exempt_health_check(client):
    """Routes without their own limit get the default; the health check has none"""
    assert spend(client, "/healthz", {}, 25) == [200] * 25, (
        "The load balancer checks often: /healthz must never be limited"
    )
    codes = spend(client, "/api/status", ANN, 21)
    assert codes == [200] * 20 + [429], "Every other route gets the default of 20 per minute"
    assert client.get("/api/quotes", headers=ANN).status_code == 200, (
        "A route with its own limit does not share the default's counter"
    )
