"""Public checks for the library: run them while you work."""

from __future__ import annotations


def test_default_database_is_sqlite(learner):
    """Without DATABASE_URL the app uses SQLite"""
    url = learner.eval("str(app.extensions['sqlalchemy'].engine.url)")
    assert url.startswith("sqlite:///") and url.endswith("/library.sqlite")


def test_an_author_and_a_book(cli, client):
    """An author and a book are saved"""
    assert cli("init-db").exit_code == 0
    assert client.post("/authors", json={"name": "Frank Herbert"}).status_code == 201
    r = client.post("/books", json={"title": "Dune", "year": 1965, "author_id": 1})
    assert r.status_code == 201
    assert client.get("/authors/1").get_json() == {
        "id": 1,
        "name": "Frank Herbert",
        "books": [{"id": 1, "title": "Dune", "year": 1965}],
    }
