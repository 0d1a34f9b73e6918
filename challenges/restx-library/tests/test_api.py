"""Hidden tests: the library API's behaviour."""

from __future__ import annotations

import json

import pytest

DUNE = {"title": "Dune", "author": "Frank Herbert", "year": 1965}


@pytest.mark.points(15)
def test_create_book(client):
    """POST /api/books/ answers 201 with the marshalled book and its Location"""
    r = client.post("/api/books/", json={**DUNE, "id": 42})
    assert r.status_code == 201, "Creating a book answers 201 Created"
    assert r.get_json() == {"id": 1, **DUNE}, "Answer the marshalled book; the server picks the id"
    assert r.headers.get("Location", "").endswith("/api/books/1"), "Point Location at the new book"
    r = client.post("/api/books/", json={"title": "Emma", "author": "Jane Austen"})
    assert r.get_json() == {"id": 2, "title": "Emma", "author": "Jane Austen", "year": None}, (
        "year is optional: the marshalled book still has the key"
    )


@pytest.mark.points(5)
@pytest.mark.parametrize(
    "cases",
    [
        [({"author": "Frank Herbert"}, "title"), ({**DUNE, "title": ""}, "title")],
        [({**DUNE, "year": 1200}, "year"), ({**DUNE, "author": 7}, "author")],
        [({**DUNE, "rating": 5}, "rating")],
    ],
    ids=["required-and-lengths", "types-and-ranges", "undeclared-field"],
)
def test_payload_is_validated(client, cases):
    """Bad payloads are refused with 400 by the model"""
    for body, field in cases:
        r = client.post("/api/books/", json=body)
        assert r.status_code == 400, "The model should validate the payload before the method runs"
        errors = (r.get_json(silent=True) or {}).get("errors")
        assert isinstance(errors, dict) and field in json.dumps(errors), (
            "Let Flask-RESTX report what is wrong in errors"
        )
    assert client.get("/api/books/").get_json() == [], "A refused book must not be stored"


@pytest.mark.points(15)
def test_list_and_filter(client):
    """GET /api/books/ lists the books and filters by author"""
    client.post("/api/books/", json=DUNE)
    client.post("/api/books/", json={"title": "Emma", "author": "Jane Austen", "year": 1815})
    every = client.get("/api/books/").get_json()
    assert [b["title"] for b in every] == ["Dune", "Emma"], "List every book in id order"
    austen = client.get("/api/books/", query_string={"author": "Jane Austen"}).get_json()
    assert austen == [{"id": 2, "title": "Emma", "author": "Jane Austen", "year": 1815}], (
        "?author= keeps only that author's books"
    )


@pytest.mark.points(15)
def test_fetch_and_delete(client):
    """A book can be fetched and deleted; an unknown one is a 404"""
    client.post("/api/books/", json=DUNE)
    assert client.get("/api/books/1").get_json() == {"id": 1, **DUNE}, "Fetch the marshalled book"
    missing = client.get("/api/books/9")
    assert missing.status_code == 404, "There is no book 9"
    assert missing.get_json() == {"message": "book 9 not found"}, (
        "Only your own message: no suggestion appended to it"
    )
    r = client.delete("/api/books/1")
    assert r.status_code == 204 and r.data == b"", "A delete answers 204 with no body"
    assert client.get("/api/books/1").status_code == 404, "The deleted book is gone"
    assert client.delete("/api/books/1").status_code == 404, "Deleting it again is a 404"
