"""Public tests: run them with `grader test`."""

from __future__ import annotations


def test_search_reads_the_query_string(client):
    """The search reads q, page and every tag from the query string"""
    r = client.get("/search", query_string={"q": "flask", "page": "2", "tag": ["web", "python"]})
    assert r.status_code == 200
    assert r.get_json() == {"q": "flask", "page": 2, "tags": ["web", "python"]}


def test_create_a_note(client):
    """POST /notes creates a note from the text body"""
    r = client.post("/notes", data="buy milk", content_type="text/plain")
    assert r.status_code == 201
    assert r.get_json() == {"id": 1, "text": "buy milk"}
