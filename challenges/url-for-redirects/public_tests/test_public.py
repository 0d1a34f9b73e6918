"""Public tests: run them with `grader test`."""

from __future__ import annotations


def test_first_page(client):
    """The first page lists two books with their URLs"""
    r = client.get("/books")
    assert r.status_code == 200
    body = r.get_json()
    assert body["books"][0] == {"id": 1, "title": "Flask Web Development", "url": "/books/1"}
    assert body["next"] == "/books?page=2"
    assert body["prev"] is None


def test_old_urls_moved_for_good(client):
    """Old book URLs are permanently redirected"""
    r = client.get("/old-books/3")
    assert r.status_code == 301
    assert r.location.endswith("/books/3")
