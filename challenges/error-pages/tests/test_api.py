"""Hidden tests: JSON errors in the API and the custom exception."""

from __future__ import annotations

import pytest


@pytest.mark.points(15)
def test_api_not_found_is_json(client):
    """An unknown book in the API is a JSON 404"""
    r = client.get("/api/books/42")
    assert r.status_code == 404, "An unknown book is Not Found"
    assert r.mimetype == "application/json", "API clients expect JSON errors, not an HTML page"
    body = r.get_json()
    assert body.get("status") == 404 and body.get("error") == "Not Found", (
        "Use the error's code and standard name"
    )
    assert "42" in body.get("message", ""), "Describe which book was not found"


@pytest.mark.points(10)
def test_api_method_not_allowed_is_json(client):
    """Errors Flask raises by itself are JSON in the API too"""
    r = client.delete("/api/books/1")
    assert r.status_code == 405, "DELETE is not allowed on a book"
    assert r.mimetype == "application/json", (
        "Handle every HTTP error of the API, not only the ones you raise"
    )
    body = r.get_json()
    assert body.get("status") == 405 and body.get("error") == "Method Not Allowed", (
        "Use the error's code and standard name"
    )


@pytest.mark.points(3)
@pytest.mark.parametrize("limit", ["abc", "0", "51", "-1"])
def test_bad_limit_is_400(client, limit):
    """A bad limit is a 400 that explains the rule"""
    r = client.get("/api/books", query_string={"limit": limit})
    assert r.status_code == 400, "A bad query parameter is the client's mistake: 400"
    assert r.mimetype == "application/json", "The API answers errors in JSON"
    body = r.get_json()
    assert body.get("error") == "Bad Request", "Use the error's standard name"
    assert "50" in body.get("message", ""), "Tell the client what a valid limit is"


@pytest.mark.points(5)
def test_good_limit(client):
    """A valid limit still works"""
    r = client.get("/api/books", query_string={"limit": "2"})
    assert r.status_code == 200, "A limit from 1 to 50 is valid"
    assert [b["id"] for b in r.get_json()] == [1, 2], "limit=2 returns the first two books"


@pytest.mark.points(15)
def test_out_of_stock_handler(client):
    """Borrowing a book with no copy left is a 409 from the OutOfStock handler"""
    r = client.post("/api/books/2/borrow")
    assert r.status_code == 409, "Register a handler for the OutOfStock exception class"
    assert r.get_json() == {
        "status": 409,
        "error": "Out Of Stock",
        "message": "No copy of Emma is left",
    }, "Answer with the status, the error name and the exception's message"


@pytest.mark.points(10)
def test_borrow_until_empty(client):
    """Borrowing works until the last copy, then says out of stock"""
    first = client.post("/api/books/3/borrow")
    assert first.status_code == 200 and first.get_json()["copies"] == 0, (
        "The last copy can be borrowed"
    )
    second = client.post("/api/books/3/borrow")
    assert second.status_code == 409, "No copy left: out of stock"
    assert client.post("/api/books/77/borrow").status_code == 404, (
        "An unknown book cannot be borrowed"
    )
