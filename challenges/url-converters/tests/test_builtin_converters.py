"""Hidden tests: variable parts and the built-in converters."""

from __future__ import annotations

import pytest


@pytest.mark.points(12)
def test_greeting(client):
    """The greeting uses the name from the URL"""
    for raw, name in [("Ann", "Ann"), ("Ana%20Lu", "Ana Lu"), ("Zo%C3%A9", "Zoé")]:
        r = client.get(f"/hello/{raw}")
        assert r.status_code == 200, "/hello/<name> should accept any name"
        assert r.get_json() == {"greeting": f"Hello, {name}!"}, "Check the greeting's exact wording"


@pytest.mark.points(12)
def test_book_by_integer_id(client):
    """Books are found by an integer id, returned as a JSON number"""
    for book_id, title in [(1, "Flask Web Development"), (3, "Architecture Patterns with Python")]:
        r = client.get(f"/books/{book_id}")
        assert r.status_code == 200, "A known book id should be found"
        assert r.get_json() == {"id": book_id, "title": title}, (
            "The id in the answer should be a number, like the keys of BOOKS"
        )


@pytest.mark.points(12)
def test_book_bad_ids(client):
    """Ids that are not known integers are Not Found"""
    for path in ["/books/abc", "/books/-1", "/books/2.5", "/books/99", "/books/"]:
        r = client.get(path)
        assert r.status_code == 404, (
            "Let the URL rule refuse what is not an integer, and unknown ids"
        )


@pytest.mark.points(12)
def test_file_paths_with_slashes(client):
    """File paths may contain slashes"""
    for path in ["notes.txt", "docs/2024/notes.txt", "a/b/c/d.md"]:
        r = client.get(f"/files/{path}")
        assert r.status_code == 200, "Which converter also matches slashes?"
        assert r.get_json() == {"path": path, "parts": path.split("/")}, (
            "The answer should hold the whole path and its parts"
        )


@pytest.mark.points(8)
def test_calendar_week(client):
    """Year and week are parsed as integers"""
    r = client.get("/calendar/2026/week/48")
    assert r.status_code == 200, "A valid year and week should be accepted"
    assert r.get_json() == {"year": 2026, "week": 48}, "Year and week should be JSON numbers"
    assert client.get("/calendar/2026/week/1").status_code == 200, "Week 1 exists"
    assert client.get("/calendar/2026/week/53").status_code == 200, "Week 53 exists"


@pytest.mark.points(10)
def test_calendar_week_out_of_range(client):
    """Weeks outside 1..53 and non-numbers are Not Found"""
    for path in ["/calendar/twenty/week/3", "/calendar/2026/week/x"]:
        assert client.get(path).status_code == 404, "Year and week are whole numbers"
    for path in ["/calendar/2026/week/0", "/calendar/2026/week/54"]:
        assert client.get(path).status_code == 404, (
            "A converter can take arguments that limit the values it accepts"
        )
