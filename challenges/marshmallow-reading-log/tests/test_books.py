"""Hidden tests: the reading log loads, validates and dumps through BookSchema."""

from __future__ import annotations

import pytest

DUNE = {"title": "Dune", "author": "Frank Herbert", "pages": 412}


def dumped(book_id: int, **fields) -> dict:
    """A book as the schema dumps it, with the defaults a client did not send."""
    return {"id": book_id, "finished_on": None, "tags": [], "url": f"/books/{book_id}", **fields}


@pytest.mark.points(15)
def test_create_dumps_the_stored_book(client):
    """A created book is answered 201 in the schema's shape, with its URL"""
    r = client.post("/books", json={**DUNE, "tags": ["sf"]})
    assert r.status_code == 201, "Creating a book answers 201 Created"
    assert r.get_json() == dumped(1, **DUNE, tags=["sf"]), (
        "Answer with the schema's dump of the stored book: id, defaults and url included"
    )
    assert r.headers.get("Location", "").endswith("/books/1"), "Point Location at the new book"
    second = client.post("/books", json={"title": "Emma", "author": "Jane Austen", "pages": 474})
    assert second.get_json()["id"] == 2, "The next book gets the next id"


@pytest.mark.points(4)
@pytest.mark.parametrize(
    "cases",
    [
        [({"author": "Frank Herbert", "pages": 412}, "title"), ({**DUNE, "title": ""}, "title"),
         ({**DUNE, "pages": 0}, "pages")],
        [({**DUNE, "finished_on": "last week"}, "finished_on"),
         ({**DUNE, "finished_on": "2999-01-01"}, "finished_on")],
        [(["Dune"], "_schema")],
    ],
    ids=["required-and-limits", "dates", "not-an-object"],
)
def test_invalid_books_are_422(client, cases):
    """Invalid books are refused with 422 and the schema's messages"""
    for body, field in cases:
        r = client.post("/books", json=body)
        assert r.status_code == 422, "A ValidationError from load() should become a 422 answer"
        errors = (r.get_json(silent=True) or {}).get("errors")
        assert isinstance(errors, dict) and isinstance(errors.get(field), list), (
            "Answer {'errors': error.messages}, keyed by the field that is wrong"
        )
    assert client.get("/books").get_json() == [], "A refused book must not be stored"


@pytest.mark.points(15)
def test_unknown_fields_are_refused(client):
    """Fields the schema does not declare, and the read-only id, are refused"""
    r = client.post("/books", json={**DUNE, "rating": 5})
    assert r.status_code == 422, "A field the schema does not know should not slip through"
    assert "rating" in r.get_json().get("errors", {}), "Name the unknown field in the errors"
    r = client.post("/books", json={**DUNE, "id": 99})
    assert r.status_code == 422, "Clients must not choose the id: it is only ever dumped"
    assert "id" in r.get_json().get("errors", {}), "Name the id in the errors"


@pytest.mark.points(20)
def test_loaded_data_is_what_is_stored(client):
    """What is stored is the loaded data: dates parsed, numbers converted, defaults filled"""
    r = client.post("/books", json={**DUNE, "pages": "412", "finished_on": "2024-03-01"})
    assert r.status_code == 201, "A number sent as a string of digits loads as a number"
    expected = dumped(1, **DUNE, finished_on="2024-03-01")
    assert client.get("/books/1").get_json() == expected, (
        "Store what load() returns, not the raw request JSON: GET dumps it back"
    )
    assert client.get("/books").get_json() == [expected], "The list dumps every book the same way"


@pytest.mark.points(18)
def test_patch_changes_only_what_it_sends(client):
    """PATCH validates only the fields it sends and keeps the others"""
    client.post("/books", json=DUNE)
    r = client.patch("/books/1", json={"finished_on": "2024-05-02"})
    assert r.status_code == 200, "A PATCH with one valid field should succeed: is the load partial?"
    assert r.get_json() == dumped(1, **DUNE, finished_on="2024-05-02"), (
        "The fields a PATCH does not send keep their values"
    )
    bad = client.patch("/books/1", json={"pages": 0})
    assert bad.status_code == 422, "A PATCH is still validated"
    assert client.get("/books/1").get_json()["pages"] == 412, "A refused PATCH changes nothing"


@pytest.mark.points(5)
def test_unknown_book_is_404(client):
    """An unknown book is a JSON 404"""
    r = client.get("/books/9")
    assert r.status_code == 404, "There is no book 9"
    assert r.get_json() == {"error": "book 9 not found"}, "Say which book was not found, in JSON"
    assert client.patch("/books/9", json={"pages": 3}).status_code == 404, (
        "A PATCH of an unknown book is a 404 too"
    )


@pytest.mark.points(15)
def test_schema_loads_and_validates(learner):
    """BookSchema itself loads and validates without the views"""
    loaded = learner.eval(
        "__import__('app').BookSchema().load("
        "{'title': 'Dune', 'author': 'Frank Herbert', 'pages': '412'})"
    )
    assert loaded == {**DUNE, "finished_on": None, "tags": []}, (
        "load() should convert pages and fill the load defaults of finished_on and tags"
    )
    errors = learner.eval("__import__('app').BookSchema().validate({'title': 'Dune'})")
    assert sorted(errors) == ["author", "pages"], "author and pages are required fields"
    assert learner.eval("__import__('app').BookSchema().fields['id'].dump_only") is True, (
        "The id is written by the server only"
    )
