"""Hidden tests: the Swagger document that Flask-RESTX generates."""

from __future__ import annotations

import pytest


def swagger(client) -> dict:
    r = client.get("/api/swagger.json")
    assert r.status_code == 200, "The Swagger document lives at /api/swagger.json"
    return r.get_json()


@pytest.mark.points(10)
def test_document_and_ui(client):
    """The API is described and its Swagger UI is served"""
    doc = swagger(client)
    info = doc.get("info", {})
    assert (info.get("title"), info.get("version")) == ("Library API", "1.0"), (
        "Give the Api its title and version"
    )
    assert doc.get("basePath") == "/api", "The API lives under /api"
    assert set(doc["paths"]) == {"/books/", "/books/{book_id}"}, "One namespace, books, with two routes"
    ui = client.get("/api/docs")
    assert ui.status_code == 200 and ui.mimetype == "text/html", "Serve the Swagger UI at /api/docs"


@pytest.mark.points(15)
def test_book_model_schema(client):
    """The Book model documents its rules"""
    book = swagger(client)["definitions"].get("Book", {})
    assert sorted(book.get("required", [])) == ["author", "title"], "title and author are required"
    props = book.get("properties", {})
    assert props.get("id", {}).get("readOnly") is True, "The id is read-only: the server assigns it"
    assert props.get("title", {}).get("minLength") == 1, "A title has at least one character"
    assert (props.get("year", {}).get("minimum"), props.get("year", {}).get("maximum")) == (1450, 2100), (
        "Document the range of year"
    )
    assert book.get("additionalProperties") is False, "The model refuses fields it does not declare"


@pytest.mark.points(15)
def test_operations_document_their_answers(client):
    """Each operation documents its status codes, body and query parameters"""
    paths = swagger(client)["paths"]
    post = paths["/books/"]["post"]
    assert set(post["responses"]) == {"201", "400"}, "A create is documented as 201, or 400 when invalid"
    assert post["responses"]["201"].get("schema") == {"$ref": "#/definitions/Book"}, (
        "The 201 answer is a Book"
    )
    body = [p for p in post["parameters"] if p.get("in") == "body"]
    assert body and body[0].get("schema") == {"$ref": "#/definitions/Book"}, "The payload is a Book"
    query = [p["name"] for p in paths["/books/"]["get"].get("parameters", []) if p.get("in") == "query"]
    assert query == ["author"], "Document the author filter as a query parameter"
    item = paths["/books/{book_id}"]
    assert "404" in item["get"]["responses"], "A fetch documents its 404"
    assert set(item["delete"]["responses"]) == {"204", "404"}, "A delete documents 204 and 404"
