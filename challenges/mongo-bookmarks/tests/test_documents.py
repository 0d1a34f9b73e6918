"""Hidden tests: bookmarks as MongoEngine documents, through the JSON API."""

from __future__ import annotations

import re

import pytest

FLASK = {"url": "https://flask.palletsprojects.com/", "title": "Flask", "tags": ["python"]}
MONGO = {"url": "https://www.mongodb.com/docs/", "title": "MongoDB manual"}
JINJA = {"url": "https://jinja.palletsprojects.com/", "title": "Jinja", "tags": ["python", "html"]}


def add(client, data: dict) -> dict:
    r = client.post("/bookmarks", json=data)
    assert r.status_code == 201, "POST /bookmarks should create a bookmark"
    return r.get_json()


@pytest.mark.points(15)
def test_bookmarks_are_saved(client):
    """A bookmark is saved and read back, with its id as a string"""
    created = add(client, FLASK)
    assert re.fullmatch(r"[0-9a-f]{24}", str(created.get("id"))), (
        "Send the document's ObjectId as its 24-character hex string"
    )
    assert created == {**FLASK, "id": created["id"]}, "Answer the new bookmark"
    other = add(client, MONGO)
    assert other["tags"] == [], "A bookmark without tags has an empty list"
    r = client.get(f"/bookmarks/{created['id']}")
    assert r.status_code == 200 and r.get_json() == created, (
        "GET /bookmarks/<id> should find the saved bookmark"
    )


@pytest.mark.points(10)
def test_list_is_newest_first_and_filters_by_tag(client):
    """GET /bookmarks lists the newest first and filters by ?tag="""
    ids = [add(client, data)["id"] for data in (FLASK, MONGO, JINJA)]
    everything = client.get("/bookmarks").get_json()
    assert [b["id"] for b in everything] == ids[::-1], "List the newest bookmark first"
    python = client.get("/bookmarks", query_string={"tag": "python"}).get_json()
    assert [b["title"] for b in python] == ["Jinja", "Flask"], (
        "?tag= keeps the bookmarks whose tags contain it"
    )
    assert client.get("/bookmarks", query_string={"tag": "rust"}).get_json() == [], (
        "No bookmark has that tag"
    )


INVALID = [
    ({"title": "No URL"}, "url"),
    ({"url": "not a url", "title": "Broken"}, "url"),
    ({"url": "https://example.com/"}, "title"),
    ({"url": "https://example.com/", "title": "x" * 201}, "title"),
    ({"url": "https://example.com/", "title": "Tags", "tags": "python"}, "tags"),
    ({"url": "https://example.com/", "title": "Tags", "tags": [42]}, "tags"),
    ({"url": "https://example.com/", "title": "Tags", "tags": ["x" * 31]}, "tags"),
]


@pytest.mark.points(15)
def test_invalid_bookmarks_are_refused(client):
    """A document that fails validation is refused with 400 naming the field"""
    for body, field in INVALID:
        r = client.post("/bookmarks", json=body)
        assert r.status_code == 400, (
            f"save() validates the document ({field}): turn its ValidationError into 400"
        )
        data = r.get_json() or {}
        assert "error" in data and field in data.get("fields", {}), (
            "Say which fields are wrong in 'fields' (the ValidationError knows)"
        )
    assert client.get("/bookmarks").get_json() == [], "A refused bookmark must not be stored"


@pytest.mark.points(10)
def test_duplicate_url_is_a_conflict(client):
    """A URL that is bookmarked already is refused with 409"""
    add(client, FLASK)
    r = client.post("/bookmarks", json={**FLASK, "title": "Flask again"})
    assert r.status_code == 409, "A URL may be bookmarked once: let a unique index enforce it"
    assert "error" in (r.get_json() or {}), "Explain the problem in an 'error' field"
    assert len(client.get("/bookmarks").get_json()) == 1, "The duplicate must not be stored"


@pytest.mark.points(12)
def test_unknown_and_malformed_ids_are_404(client):
    """Unknown and malformed ids are 404, never a server error"""
    add(client, FLASK)
    for bookmark_id in ("0123456789abcdef01234567", "not-an-object-id", "42"):
        assert client.get(f"/bookmarks/{bookmark_id}").status_code == 404, (
            "An id that is not an ObjectId cannot match a document: answer 404"
        )
        assert client.delete(f"/bookmarks/{bookmark_id}").status_code == 404, (
            "Deleting an unknown bookmark is a 404"
        )
        r = client.post(f"/bookmarks/{bookmark_id}/tags", json={"tag": "python"})
        assert r.status_code == 404, "Tagging an unknown bookmark is a 404"


@pytest.mark.points(12)
def test_a_tag_is_added_once(client, learner):
    """POST /bookmarks/<id>/tags adds a tag once, in one update"""
    bookmark = add(client, MONGO)
    for _ in range(2):
        r = client.post(f"/bookmarks/{bookmark['id']}/tags", json={"tag": "database"})
        assert r.status_code == 200, "Adding a tag should answer 200 with the bookmark"
    assert r.get_json()["tags"] == ["database"], "A tag that is there already is not added again"
    client.post(f"/bookmarks/{bookmark['id']}/tags", json={"tag": "docs"})
    assert client.get(f"/bookmarks/{bookmark['id']}").get_json()["tags"] == ["database", "docs"], (
        "The new tags should be stored"
    )
    for bad in ({"tag": ""}, {"tag": 7}, {}):
        assert client.post(f"/bookmarks/{bookmark['id']}/tags", json=bad).status_code == 400, (
            "A tag must be a non-blank string"
        )


@pytest.mark.points(6)
def test_delete(client):
    """A deleted bookmark is gone"""
    first, second = add(client, FLASK), add(client, MONGO)
    assert client.delete(f"/bookmarks/{first['id']}").status_code == 204, (
        "Deleting answers 204 with no body"
    )
    assert client.get(f"/bookmarks/{first['id']}").status_code == 404, "The bookmark is gone"
    assert [b["id"] for b in client.get("/bookmarks").get_json()] == [second["id"]], (
        "Only that bookmark is deleted"
    )
