"""Public checks for the library API: run them while you work."""

from __future__ import annotations


def test_add_a_book(client):
    """A valid book is added with 201"""
    r = client.post("/api/books/", json={"title": "Dune", "author": "Frank Herbert", "year": 1965})
    assert r.status_code == 201
    assert r.get_json() == {"id": 1, "title": "Dune", "author": "Frank Herbert", "year": 1965}


def test_swagger_document_has_the_book_model(client):
    """The Swagger document describes the Book model"""
    r = client.get("/api/swagger.json")
    assert r.status_code == 200, "Flask-RESTX serves its Swagger document at <prefix>/swagger.json"
    assert "Book" in r.get_json().get("definitions", {}), "Declare the model with ns.model('Book', ...)"
