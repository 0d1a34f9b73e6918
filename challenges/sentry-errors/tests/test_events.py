"""Hidden tests: what reaches Sentry, and what never does."""

from __future__ import annotations

import json

import pytest

DSN = "https://public@o0.ingest.sentry.example/1"
pytestmark = pytest.mark.learner_env(SENTRY_DSN=DSN)

COOKIE = "remember=c00kie-value-77; theme=dark"
CARD_DOWN = "4000000000000009"
CARD_DECLINED = "4000000000000002"
CARD_OK = "4242424242424242"


def strings(value):
    """Every string value in an event, however deeply nested (keys are not values)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def exception_types(event: dict) -> list[str]:
    return [value.get("type") for value in event.get("exception", {}).get("values", [])]


@pytest.mark.points(20)
def test_unhandled_error_is_reported(client, sentry_events):
    """An error in a view reaches Sentry with the request's URL, and the answer gives its id"""
    r = client.get("/orders/2/invoice?format=json")
    assert r.status_code == 500, "The invoice of order 2 fails: that bug stays in"
    events = sentry_events()
    assert len(events) == 1, (
        "The error was not reported: does a handler catch it before Flask signals it?"
    )
    event = events[0]
    assert exception_types(event) == ["KeyError"], "The event carries the exception"
    assert event["exception"]["values"][0].get("mechanism", {}).get("handled") is False, (
        "Let the Flask integration report unhandled errors itself"
    )
    request = event.get("request", {})
    assert request.get("url", "").endswith("/orders/2/invoice"), "The event names the URL"
    assert request.get("query_string") == "format=json", "The event keeps the query string"
    assert event.get("environment") == "production" and event.get("release") == "bakery@1.4.0", (
        "Without SENTRY_ENVIRONMENT the environment is production"
    )
    assert r.get_json() == {"error": "internal server error", "event_id": event["event_id"]}, (
        "Answer the event's id, so a customer can quote it to support"
    )


@pytest.mark.points(15)
def test_no_cookies_and_only_the_user_id(client, sentry_events):
    """Events carry the user's id, and no cookies or other personal data"""
    client.get("/orders/2/invoice", headers={"Cookie": COOKIE, "X-User-Id": "42"})
    events = sentry_events()
    assert len(events) == 1, "The error should be reported"
    event = events[0]
    assert event.get("user") == {"id": "42"}, (
        "Identify the user by the X-User-Id header, and by nothing else (no IP address)"
    )
    assert "cookies" not in event.get("request", {}), "Cookies must not be sent to Sentry"
    assert "c00kie-value-77" not in json.dumps(event), "No cookie value may appear in an event"
    client.get("/orders/2/invoice")
    later = sentry_events()
    assert len(later) == 2 and "user" not in later[1], (
        "The user of one request must not stick to the next one"
    )


@pytest.mark.points(15)
def test_handled_incident_is_reported(client, sentry_events):
    """A provider outage is answered with 502 and reported with its exception"""
    r = client.post("/payments", json={"order_id": 1, "card_number": CARD_DOWN, "cvc": "123"})
    assert r.status_code == 502, "An unavailable provider is a 502"
    events = sentry_events()
    assert len(events) == 1, (
        "A handled exception is not reported by Flask: report it from the view"
    )
    assert exception_types(events[0]) == ["GatewayUnavailable"], (
        "Report the exception itself, so Sentry has its type and its traceback"
    )
    assert r.get_json() == {"error": "payment provider unavailable",
                            "event_id": events[0]["event_id"]}, "Answer the event's id"


@pytest.mark.points(15)
def test_card_data_never_reaches_sentry(client, sentry_events):
    """Card numbers and security codes are filtered out of the events"""
    client.post("/payments", json={"order_id": 1, "card_number": CARD_DOWN, "cvc": "987"})
    events = sentry_events()
    assert len(events) == 1, (
        "The outage was not reported: does a hook drop the events instead of returning them?"
    )
    found = list(strings(events[0]))
    assert not any(CARD_DOWN in text for text in found), (
        "The card number reached Sentry: it is in the request body, and in the local variables "
        "of the traceback too"
    )
    assert not any(text.strip("'") == "987" for text in found), (
        "The security code must be filtered too, wherever it appears"
    )
    data = events[0].get("request", {}).get("data", {})
    assert data.get("order_id") == 1, "Keep the rest of the request body: it helps debugging"


@pytest.mark.points(15)
def test_expected_outcomes_are_not_reported(client, sentry_events):
    """Declined cards, unknown orders and successful payments are not reported"""
    r = client.post("/payments", json={"order_id": 1, "card_number": CARD_DECLINED, "cvc": "1"})
    assert r.status_code == 402 and r.get_json() == {"error": "card declined"}, (
        "A declined card is a 402"
    )
    assert client.get("/orders/99/invoice").status_code == 404, "An unknown order is a 404"
    r = client.post("/payments", json={"order_id": 1, "card_number": CARD_OK, "cvc": "1"})
    assert r.status_code == 201 and r.get_json() == {"charge_id": "ch_1"}, "A good card is charged"
    assert sentry_events() == [], (
        "Only errors someone must fix belong in Sentry: a declined card is not one"
    )
