"""Hidden tests: models, the session and queries through the JSON API."""

from __future__ import annotations

import pytest

# Runs in the learner process: count the SELECT statements one request sends to the database.
COUNT_QUERIES = """
import threading

from sqlalchemy import event

engine = app.extensions["sqlalchemy"].engine
selects = []
result = {}


def count(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith("SELECT"):
        selects.append(statement)


def request():
    # a thread of its own gets a fresh app context and session, as a real request does
    reply = app.test_client().get("/books")
    result["status"] = reply.status_code
    result["books"] = len((reply.get_json() or {}).get("books", []))


event.listen(engine, "before_cursor_execute", count)
try:
    thread = threading.Thread(target=request)
    thread.start()
    thread.join(10)
finally:
    event.remove(engine, "before_cursor_execute", count)
result["selects"] = len(selects)
"""


@pytest.fixture(autouse=True)
def tables(learner):
    learner.eval("app.extensions['sqlalchemy'].create_all()")


def add_author(client, name: str) -> int:
    r = client.post("/authors", json={"name": name})
    assert r.status_code == 201, "POST /authors should create an author"
    return r.get_json()["id"]


def add_book(client, title: str, year: int, author_id: int) -> dict:
    r = client.post("/books", json={"title": title, "year": year, "author_id": author_id})
    assert r.status_code == 201, "POST /books should create a book"
    return r.get_json()


def insert(learner, authors: list[str], books: list[tuple[str, int, int]]) -> None:
    """Rows written straight into the tables, in one round trip (authors get ids 1, 2, ...)."""
    rows = [
        ("INSERT INTO author (id, name) VALUES (?, ?)", (n, name))
        for n, name in enumerate(authors, start=1)
    ]
    rows += [("INSERT INTO book (title, year, author_id) VALUES (?, ?, ?)", book) for book in books]
    code = (
        "with app.extensions['sqlalchemy'].engine.begin() as connection:\n"
        f"    for statement, values in {rows!r}:\n"
        "        connection.exec_driver_sql(statement, values)\n"
    )
    learner.eval(f"exec({code!r}, {{'app': app}})")


SHELF_AUTHORS = {"Le Guin": 1, "Herbert": 2, "Butler": 3}


def shelf(learner) -> dict[str, int]:
    """Three authors, seven books; returns the authors' ids."""
    ids = SHELF_AUTHORS
    insert(
        learner,
        list(ids),
        [
            ("Dune", 1965, ids["Herbert"]),
            ("The Left Hand of Darkness", 1969, ids["Le Guin"]),
            ("Kindred", 1979, ids["Butler"]),
            ("The Dispossessed", 1974, ids["Le Guin"]),
            ("Dune Messiah", 1969, ids["Herbert"]),
            ("A Wizard of Earthsea", 1968, ids["Le Guin"]),
            ("Parable of the Sower", 1993, ids["Butler"]),
        ],
    )
    return ids


@pytest.mark.points(12)
def test_authors_and_books_are_saved(client):
    """Authors and books are saved and read back on later requests"""
    r = client.post("/authors", json={"name": "Ursula K. Le Guin"})
    assert r.status_code == 201, "Creating an author should answer 201"
    assert r.get_json() == {"id": 1, "name": "Ursula K. Le Guin", "books": []}, "Answer the author"
    book = add_book(client, "The Dispossessed", 1974, 1)
    assert book == {
        "id": 1,
        "title": "The Dispossessed",
        "year": 1974,
        "author": {"id": 1, "name": "Ursula K. Le Guin"},
    }, "Answer the new book"
    add_book(client, "A Wizard of Earthsea", 1968, 1)
    r = client.get("/authors/1")
    assert r.status_code == 200, "GET /authors/<id> should find a saved author"
    assert r.get_json() == {
        "id": 1,
        "name": "Ursula K. Le Guin",
        "books": [
            {"id": 2, "title": "A Wizard of Earthsea", "year": 1968},
            {"id": 1, "title": "The Dispossessed", "year": 1974},
        ],
    }, "An author lists their books, oldest first: was every change committed?"
    r = client.get("/authors/9")
    assert r.status_code == 404 and "error" in (r.get_json() or {}), "An unknown author is a 404"


@pytest.mark.points(10)
def test_duplicate_author_is_a_conflict(client):
    """An author name that is taken is a 409 naming the existing author"""
    add_author(client, "Octavia E. Butler")
    add_author(client, "Frank Herbert")
    r = client.post("/authors", json={"name": "Frank Herbert"})
    assert r.status_code == 409, "The unique constraint fired: answer 409, not a server error"
    assert (r.get_json() or {}).get("id") == 2, (
        "Give the id of the author who has the name (a failed commit must be rolled back first)"
    )
    assert client.get("/authors/3").status_code == 404, "The duplicate must not be stored"


@pytest.mark.points(8)
def test_bad_books_are_refused(client):
    """Books with bad fields are refused with 400, an unknown author with 404"""
    add_author(client, "Frank Herbert")
    for body in [
        {"year": 1965, "author_id": 1},
        {"title": " ", "year": 1965, "author_id": 1},
        {"title": "Dune", "year": "1965", "author_id": 1},
        {"title": "Dune", "year": True, "author_id": 1},
        {"title": "Dune", "year": 1965},
        {"title": "Dune", "year": 1965, "author_id": "1"},
    ]:
        r = client.post("/books", json=body)
        assert r.status_code == 400, "Check every field before you add a book"
        assert "error" in (r.get_json() or {}), "Explain the problem in an 'error' field"
    r = client.post("/books", json={"title": "Dune", "year": 1965, "author_id": 7})
    assert r.status_code == 404, "A book needs an author that exists"
    assert client.get("/books").get_json()["total"] == 0, "A refused book must not be stored"


@pytest.mark.points(15)
def test_book_list_filters_and_pages(client, learner):
    """GET /books filters by author and year and comes in pages of five"""
    ids = shelf(learner)
    first = client.get("/books").get_json()
    assert [first["page"], first["pages"], first["total"]] == [1, 2, 7], (
        "Paginate the query: five books a page, with the page, pages and total"
    )
    assert [b["title"] for b in first["books"]] == [
        "Dune",
        "A Wizard of Earthsea",
        "The Left Hand of Darkness",
        "Dune Messiah",
        "The Dispossessed",
    ], "Books come oldest first, and by id within a year"
    assert first["books"][0]["author"] == {"id": ids["Herbert"], "name": "Herbert"}, (
        "Each book names its author"
    )
    second = client.get("/books", query_string={"page": 2}).get_json()
    assert [b["title"] for b in second["books"]] == ["Kindred", "Parable of the Sower"], (
        "The second page holds the rest"
    )
    assert client.get("/books", query_string={"page": 3}).status_code == 404, (
        "A page past the last one is a 404"
    )
    le_guin = client.get("/books", query_string={"author": ids["Le Guin"]}).get_json()
    assert [b["year"] for b in le_guin["books"]] == [1968, 1969, 1974] and le_guin["total"] == 3, (
        "?author=<id> keeps that author's books"
    )
    recent = client.get("/books", query_string={"author": ids["Le Guin"], "since": 1969}).get_json()
    assert [b["year"] for b in recent["books"]] == [1969, 1974], (
        "?since=<year> keeps the books of that year and later, together with ?author"
    )


@pytest.mark.points(12)
def test_book_list_loads_authors_in_few_queries(client, learner):
    """One page of books and their authors takes at most three queries"""
    insert(
        learner,
        [f"Author {n}" for n in range(1, 6)],
        [(f"Book {n}", 2000 + n, n) for n in range(1, 6)],
    )
    result = learner.eval(
        f"(lambda ns: (exec({COUNT_QUERIES!r}, ns), ns.get('result'))[1])({{'app': app}})"
    )
    assert [result.get("status"), result.get("books")] == [200, 5], "GET /books should work"
    assert result["selects"] <= 3, (
        f"{result['selects']} queries for one page: each book's author is loaded on its own;"
        " load them with the books"
    )


@pytest.mark.points(10)
def test_deleting_an_author_deletes_their_books(client, learner):
    """Deleting an author deletes their books too"""
    ids = shelf(learner)
    r = client.delete(f"/authors/{ids['Le Guin']}")
    assert r.status_code == 204, "Deleting an author should answer 204 with no body"
    assert client.get(f"/authors/{ids['Le Guin']}").status_code == 404, "The author is gone"
    books = client.get("/books").get_json()
    assert books["total"] == 4, "Their books should go with them: cascade the relationship"
    assert client.delete(f"/authors/{ids['Le Guin']}").status_code == 404, (
        "Deleting an unknown author is a 404"
    )
