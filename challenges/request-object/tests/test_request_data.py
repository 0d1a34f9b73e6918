"""Hidden tests: query strings and headers."""

from __future__ import annotations

import pytest


@pytest.mark.points(10)
def test_search_arguments(client):
    """The search reads q, page and every tag from the query string"""
    r = client.get("/search?q=flask&page=3&tag=web&tag=python&tag=wsgi")
    assert r.status_code == 200, "/search should answer 200"
    body = r.get_json()
    assert body.get("q") == "flask", "q comes from the query string"
    assert body.get("page") == 3, "page should be a number, not text"
    assert body.get("tags") == ["web", "python", "wsgi"], (
        "A parameter can be repeated: collect every tag, in order"
    )


@pytest.mark.points(12)
def test_search_defaults(client):
    """Missing or malformed search parameters fall back to their defaults"""
    for query in ["", "?page=", "?page=two", "?page=1.5"]:
        r = client.get(f"/search{query}")
        assert r.status_code == 200, "Optional parameters must not cause errors"
        assert r.get_json() == {"q": "", "page": 1, "tags": []}, (
            "Without a usable value, q is empty, page is 1 and tags is an empty list"
        )


@pytest.mark.points(10)
def test_whoami_reads_headers(client):
    """/whoami reports headers, whatever their case"""
    r = client.get("/whoami", headers={"user-agent": "curl/8.5", "x-client-id": "team-42"})
    assert r.status_code == 200, "/whoami should answer 200"
    assert r.get_json() == {"agent": "curl/8.5", "client": "team-42", "path": "/whoami"}, (
        "Header names are case-insensitive; the path comes from the request too"
    )


@pytest.mark.points(10)
def test_whoami_without_headers(client):
    """/whoami works without the optional headers"""
    r = client.get("/whoami", headers={"User-Agent": ""})
    assert r.status_code == 200, "A missing optional header must not fail the request"
    assert r.get_json().get("client") == "anonymous", "Without X-Client-Id the client is anonymous"
