"""Public checks for the app context: run them while you work."""

from __future__ import annotations


def test_notes_can_be_added(client):
    """A note can be added and listed"""
    assert client.post("/notes", json={"text": "buy milk"}).status_code == 201
    assert client.get("/notes").get_json() == {"notes": ["buy milk"], "count": 1}


def test_one_store_per_request(client):
    """One request opens one store and closes it"""
    client.get("/notes")
    assert client.get("/stats").get_json() == {"opened": 1, "closed": 1}
