"""Hidden tests: creating, listing, reading and updating to-do items."""

from __future__ import annotations

import pytest


def create(client, **fields):
    return client.post("/api/todos", json=fields)


@pytest.mark.points(10)
def test_create_with_every_field(client):
    """An item is created from every field of a JSON object"""
    r = create(
        client, title="  Write the report ", done=True, due="2026-12-01", tags=["work", "q4"]
    )
    assert r.status_code == 201, "Creating an item answers 201 Created"
    assert r.mimetype == "application/json", "An API answers in JSON"
    assert r.get_json() == {
        "id": 1,
        "title": "Write the report",
        "done": True,
        "due": "2026-12-01",
        "tags": ["work", "q4"],
    }, "The item should hold every field, with the title stripped"


@pytest.mark.points(10)
def test_due_date_round_trip(client):
    """Due dates are answered as YYYY-MM-DD, when created and when read back"""
    create(client, title="Pay rent", due="2027-01-31")
    for r in (client.get("/api/todos/1"), client.get("/api/todos")):
        assert r.status_code == 200, "Reading items should succeed"
    assert client.get("/api/todos/1").get_json()["due"] == "2027-01-31", (
        "How does Flask's JSON encoder write a date object? Convert it yourself"
    )
    assert client.get("/api/todos").get_json()["todos"][0]["due"] == "2027-01-31", (
        "The list should show dates the same way"
    )


@pytest.mark.points(10)
def test_list_and_filter(client):
    """Items are listed in order, with a count, and filtered by done"""
    create(client, title="one")
    create(client, title="two", done=True)
    create(client, title="three")
    body = client.get("/api/todos").get_json()
    assert body["count"] == 3 and [t["title"] for t in body["todos"]] == ["one", "two", "three"], (
        "GET /api/todos lists every item in order with a count"
    )
    done = client.get("/api/todos?done=true").get_json()
    assert [t["id"] for t in done["todos"]] == [2] and done["count"] == 1, (
        "?done=true keeps finished items"
    )
    open_items = client.get("/api/todos?done=false").get_json()
    assert [t["id"] for t in open_items["todos"]] == [1, 3], "?done=false keeps open items"


@pytest.mark.points(10)
def test_patch_updates_only_given_fields(client):
    """PATCH changes only the fields it sends"""
    create(client, title="Write the report", due="2026-12-01", tags=["work"])
    r = client.patch("/api/todos/1", json={"done": True})
    assert r.status_code == 200, "PATCH on an existing item should succeed"
    assert r.get_json() == {
        "id": 1,
        "title": "Write the report",
        "done": True,
        "due": "2026-12-01",
        "tags": ["work"],
    }, "Fields that PATCH does not send stay as they were"
    r = client.patch("/api/todos/1", json={"title": "Send the report"})
    assert r.get_json()["title"] == "Send the report" and r.get_json()["done"] is True, (
        "A second PATCH keeps the first one's change"
    )


@pytest.mark.points(8)
def test_unknown_id(client):
    """Unknown ids are answered 404 with a JSON error"""
    for method in ["GET", "PATCH"]:
        r = client.open("/api/todos/42", method=method, json={"done": True})
        assert r.status_code == 404, "There is no item 42"
        assert r.mimetype == "application/json" and "error" in r.get_json(), (
            "API errors should be JSON objects with an 'error' field too"
        )


@pytest.mark.points(5)
def test_unicode_titles(client):
    """Titles keep every character"""
    r = create(client, title="Réserver le café ☕")
    assert r.get_json()["title"] == "Réserver le café ☕", "JSON carries any Unicode text"
