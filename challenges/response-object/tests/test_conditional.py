"""Hidden tests: ETags and 304 Not Modified."""

from __future__ import annotations

import pytest


@pytest.mark.points(10)
def test_news_has_an_etag(client):
    """The news carry an ETag"""
    r = client.get("/news")
    assert r.status_code == 200, "/news should answer 200"
    assert r.get_json() == {
        "news": ["Flask 3.1 is out", "The course has a new chapter on responses"]
    }, "Send the NEWS list under a 'news' key"
    etag = r.headers.get("ETag") or ""
    assert etag.startswith(('"', 'W/"')), "The response needs an ETag header"
    assert client.get("/news").headers.get("ETag") == etag, "The same body has the same ETag"


@pytest.mark.points(14)
def test_not_modified(client):
    """A client that has the news already gets 304 Not Modified"""
    etag = client.get("/news").headers.get("ETag") or '"none"'
    r = client.get("/news", headers={"If-None-Match": etag})
    assert r.status_code == 304, "When If-None-Match matches, answer 304 Not Modified"
    assert r.data == b"", "A 304 answer has no body"


@pytest.mark.points(6)
def test_stale_etag(client):
    """A client with an old ETag gets the full news"""
    r = client.get("/news", headers={"If-None-Match": '"an-old-fingerprint"'})
    assert r.status_code == 200, "A different ETag means the client's copy is stale"
    assert r.get_json()["news"], "Send the news again"
