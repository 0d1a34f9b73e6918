"""Public checks for the error pages: run them while you work."""

from __future__ import annotations


def test_known_book_page(client):
    """A known book has a page"""
    r = client.get("/books/1")
    assert r.status_code == 200
    assert "Dune" in r.text


def test_unknown_book_page_is_404(client):
    """An unknown book is Not Found, not a server error"""
    r = client.get("/books/99")
    assert r.status_code == 404, "Use abort(404) for an unknown book"
    assert "Page not found" in r.text, "Show your own 404 page"
