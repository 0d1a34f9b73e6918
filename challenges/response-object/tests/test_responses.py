"""Hidden tests: status codes, headers and content types."""

from __future__ import annotations

import pytest


@pytest.mark.points(12)
def test_robots_txt(client):
    """robots.txt is plain text that caches may keep for a day"""
    r = client.get("/robots.txt")
    assert r.status_code == 200, "/robots.txt should answer 200"
    assert r.mimetype == "text/plain", "robots.txt is plain text, not HTML"
    assert r.text == "User-agent: *\nDisallow: /private/\n", "Send ROBOTS unchanged"
    cache = (r.headers.get("Cache-Control") or "").replace(" ", "")
    assert set(cache.split(",")) == {"public", "max-age=86400"}, "Caches may keep it for a day"


@pytest.mark.points(14)
def test_csv_report(client):
    """The report is a CSV file download"""
    r = client.get("/report.csv")
    assert r.status_code == 200, "/report.csv should answer 200"
    assert r.mimetype == "text/csv", "Tell the client this body is CSV"
    assert r.text == "id,name,score\n1,Ann,91\n2,Bob,78\n3,Chloé,85\n", (
        "A header line, then one line per score, each ending with a newline"
    )
    disposition = (r.headers.get("Content-Disposition") or "").replace(" ", "")
    assert disposition == "attachment;filename=report.csv", "Ask the browser to download the file"


@pytest.mark.points(14)
def test_created_item(client):
    """Creating an item answers 201 with its Location"""
    r = client.post("/items", json={"name": "lamp"})
    assert r.status_code == 201, "Creating something should answer 201 Created"
    assert r.get_json() == {"id": 1, "name": "lamp"}, "Answer with the new item"
    location = r.headers.get("Location") or ""
    assert location.endswith("/items/1"), "The Location header should point at the new item"
    follow = client.get(location)
    assert follow.status_code == 200 and follow.get_json() == {"id": 1, "name": "lamp"}, (
        "The Location URL should show the item"
    )
    r = client.post("/items", json={"name": "desk"})
    assert (r.headers.get("Location") or "").endswith("/items/2"), "Each item has its own URL"


@pytest.mark.points(6)
def test_bad_item(client):
    """An item without a name is refused with 400"""
    for body in [{}, {"name": ""}, {"name": 3}, ["lamp"]]:
        r = client.post("/items", json=body)
        assert r.status_code == 400, "An item needs a non-empty name"
        assert "Location" not in r.headers, "Nothing was created, so there is no Location"


@pytest.mark.points(5)
def test_unknown_item(client):
    """An unknown item is Not Found"""
    assert client.get("/items/9").status_code == 404, "There is no item 9"


@pytest.mark.points(10)
def test_version_header(client):
    """/version carries an X-API-Version header"""
    r = client.get("/version")
    assert r.status_code == 200, "/version should answer 200"
    assert r.get_json() == {"version": "2.0.0"}, "Check the body of /version"
    assert r.headers.get("X-API-Version") == "2", "Add the X-API-Version header"


@pytest.mark.points(9)
def test_gone(client):
    """A removed page says 410 Gone in plain text"""
    r = client.get("/legacy")
    assert r.status_code == 410, "Which status says a page is gone for good?"
    assert r.mimetype == "text/plain", "The body is plain text"
    assert r.text == "This page was removed.", "Check the text of /legacy"
