"""Public tests: run them with `grader test`."""

from __future__ import annotations


def test_create_todo(client):
    """POST /api/todos creates an item with defaults"""
    r = client.post("/api/todos", json={"title": "Write the report"})
    assert r.status_code == 201
    assert r.get_json() == {
        "id": 1,
        "title": "Write the report",
        "done": False,
        "due": None,
        "tags": [],
    }


def test_not_json_is_refused(client):
    """A body that is not marked as JSON is refused with 415"""
    r = client.post(
        "/api/todos", data="title=Report", content_type="application/x-www-form-urlencoded"
    )
    assert r.status_code == 415
    assert "error" in r.get_json()
