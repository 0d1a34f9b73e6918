"""Public tests: run them with `grader test`."""

from __future__ import annotations


def test_greeting(client):
    """The greeting uses the name from the URL"""
    r = client.get("/hello/Ann")
    assert r.status_code == 200
    assert r.get_json() == {"greeting": "Hello, Ann!"}


def test_book_by_id(client):
    """A book is found by its integer id"""
    r = client.get("/books/2")
    assert r.status_code == 200
    assert r.get_json() == {"id": 2, "title": "Fluent Python"}
