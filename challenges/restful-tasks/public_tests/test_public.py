"""Public checks for the task API: run them while you work."""

from __future__ import annotations


def test_create_a_task(client):
    """A new task is created with 201 and marshalled"""
    r = client.post("/tasks", json={"title": "Write report"})
    assert r.status_code == 201, "Creating a resource answers 201 Created"
    assert r.get_json() == {
        "id": 1, "title": "Write report", "priority": 2, "done": False, "uri": "/tasks/1",
    }


def test_title_is_required(client):
    """The parser refuses a task without a title"""
    r = client.post("/tasks", json={"priority": 1})
    assert r.status_code == 400, "reqparse answers 400 for a missing required argument"
    assert "title" in r.get_json()["message"]
