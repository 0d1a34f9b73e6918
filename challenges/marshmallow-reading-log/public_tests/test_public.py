"""Public checks for the reading log: run them while you work."""

from __future__ import annotations

DUNE = {"title": "Dune", "author": "Frank Herbert", "pages": 412}


def test_a_new_book_is_dumped_by_the_schema(client):
    """A new book comes back in the schema's shape"""
    r = client.post("/books", json=DUNE)
    assert r.status_code == 201, "Creating a book answers 201"
    assert r.get_json() == {**DUNE, "id": 1, "finished_on": None, "tags": [], "url": "/books/1"}


def test_missing_fields_are_reported(client):
    """A book without its required fields is a 422 that names them"""
    r = client.post("/books", json={"title": "Dune"})
    assert r.status_code == 422, "Invalid input answers 422 Unprocessable Content"
    assert sorted(r.get_json()["errors"]) == ["author", "pages"]
