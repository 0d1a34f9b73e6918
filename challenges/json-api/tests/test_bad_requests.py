"""Hidden tests: requests an API must refuse, with JSON errors."""

from __future__ import annotations

import pytest


def assert_json_error(r, status: int, hint: str) -> None:
    assert r.status_code == status, hint
    assert r.mimetype == "application/json", "Errors should be answered in JSON too, not HTML"
    assert isinstance(r.get_json().get("error"), str), "Explain the problem in an 'error' field"


@pytest.mark.points(10)
def test_body_not_marked_as_json(client):
    """A body that is not marked as JSON is refused with 415"""
    for content_type in ["text/plain", "application/x-www-form-urlencoded"]:
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


def assert_all_refused(client, bodies, hint: str) -> None:
    for body in bodies:
        r = client.post("/api/todos", json=body)
        assert_json_error(r, 400, hint)
    assert client.get("/api/todos").get_json()["count"] == 0, "A refused item must not be stored"


@pytest.mark.points(8)
def test_body_must_be_an_object(client):
    """Bodies that are not JSON objects are refused with 400"""
    assert_all_refused(
        client,
        [["a list"], "a string", 42],
        "Check that the JSON body is an object before reading its fields",
    )


@pytest.mark.points(9)
def test_invalid_titles(client):
    """Missing, blank or non-string titles are refused with 400"""
    assert_all_refused(
        client,
        [{}, {"title": ""}, {"title": "   "}, {"title": 7}, {"title": True}],
        "A title must be a string that is not blank",
    )


@pytest.mark.points(9)
def test_invalid_done_flags(client):
    """done must be a real JSON boolean"""
    assert_all_refused(
        client,
        [{"title": "ok", "done": "yes"}, {"title": "ok", "done": 1}],
        "JSON has true and false: other values are not booleans",
    )


@pytest.mark.points(9)
def test_invalid_dates_and_tags(client):
    """Bad due dates and tags are refused with 400"""
    assert_all_refused(
        client,
        [
            {"title": "ok", "due": "01/12/2026"},
            {"title": "ok", "due": 20261201},
            {"title": "ok", "tags": "work"},
            {"title": "ok", "tags": ["work", 3]},
        ],
        "due is a YYYY-MM-DD string and tags a list of strings",
    )


@pytest.mark.points(7)
def test_invalid_patch(client):
    """A PATCH that breaks the rules is refused and changes nothing"""
    client.post("/api/todos", json={"title": "Write the report"})
    for body in [{"done": "no"}, {"done": 0}, {"title": ""}, ["done"]]:
        r = client.patch("/api/todos/1", json=body)
        assert_json_error(r, 400, "PATCH follows the same field rules as POST")
    assert client.get("/api/todos/1").get_json() == {
        "id": 1,
        "title": "Write the report",
        "done": False,
        "due": None,
        "tags": [],
    }, "A refused PATCH changes nothing"
