"""Public tests: run them with `grader test`."""

from __future__ import annotations


def test_robots_txt(client):
    """robots.txt is plain text that caches may keep for a day"""
    r = client.get("/robots.txt")
    assert r.status_code == 200
    assert r.mimetype == "text/plain"
    assert r.text == "User-agent: *\nDisallow: /private/\n"


def test_version_header(client):
    """/version carries an X-API-Version header"""
    r = client.get("/version")
    assert r.get_json() == {"version": "2.0.0"}
    assert r.headers.get("X-API-Version") == "2"
