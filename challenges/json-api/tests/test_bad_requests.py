"""Hidden tests: requests an API must refuse, with JSON errors."""

from __future__ import annotations

import pytest


def assert_json_error(r, status: int, hint: str) -> None:
    assert r.status_code == status, hint
    assert r.mimetype == "application/json", "Errors should be answered in JSON too, not HTML"
    assert isinstance(r.get_json().get("error"), str), "Explain the problem in an 'error' field"


@pytest.mark.points(10)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_body_not_marked_as_json(client, content_type):
    """A body that is not marked as JSON is refused with 415"""
    r = client.post("/api/todos", data='{"title": "Report"}', content_type=content_type)
    assert_json_error(r, 415, "Check the request's content type before reading it as JSON")
    assert client.get("/api/todos").get_json()["count"] == 0, "Nothing may be created"


@pytest.mark.points(8)
def test_malformed_json(client):
    """A body that is not valid JSON is refused with 400"""
    r = client.post("/api/todos", data='{"title": "Report"', content_type="application/json")
    assert_json_error(r, 400, "Broken JSON is a bad request")
    r = client.post("/api/todos", data="null", content_type="application/json")
    assert_json_error(r, 400, "JSON null is valid JSON but not an object")


@pytest.mark.points(2)
@pytest.mark.parametrize("body", [
    ["a list"], "a string", 42, {}, {"title": ""}, {"title": "   "}, {"title": 7},
    {"title": True}, {"title": "ok", "done": "yes"}, {"title": "ok", "done": 1},
    {"title": "ok", "due": "01/12/2026"}, {"title": "ok", "due": 20261201},
    {"title": "ok", "tags": "work"}, {"title": "ok", "tags": ["work", 3]},
])
def test_invalid_fields(client, body):
    """Bodies that break the field rules are refused with 400"""
    r = client.post("/api/todos", json=body)
    assert_json_error(r, 400, "Check that the body is an object and each field has the right type")
    assert client.get("/api/todos").get_json()["count"] == 0, "A refused item must not be stored"


@pytest.mark.points(7)
@pytest.mark.parametrize("body", [{"done": "no"}, {"done": 0}, {"title": ""}, ["done"]])
def test_invalid_patch(client, body):
    """A PATCH that breaks the rules is refused and changes nothing"""
    client.post("/api/todos", json={"title": "Write the report"})
    r = client.patch("/api/todos/1", json=body)
    assert_json_error(r, 400, "PATCH follows the same field rules as POST")
    assert client.get("/api/todos/1").get_json()["done"] is False, "A refused PATCH changes nothing"
