"""Hidden tests: what the server accepts."""

from __future__ import annotations

import pytest


def sign(client, name="Ann", message="Hello", website=""):
    return client.post("/entries", data={"name": name, "message": message, "website": website})


def stored(client) -> list:
    return client.get("/api/entries").get_json()


@pytest.mark.points(10)
def test_valid_entry_is_cleaned_and_stored(client):
    """A valid entry is stripped, stored and redirects with 303"""
    r = sign(client, name="  Ann ", message=" Hi there ", website="https://ann.example")
    assert r.status_code == 303, "After a successful POST, redirect with 303 See Other"
    assert stored(client) == [
        {"name": "Ann", "message": "Hi there", "website": "https://ann.example"}
    ], "Store the fields without the spaces around them"
    assert 'href="https://ann.example"' in client.get("/").text, "Link the name to the website"


@pytest.mark.points(3)
@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,hi",
        "ftp://files.example",
        "https://",
        "ann.example",
    ],
)
def test_dangerous_websites_refused(client, website):
    """Only http and https websites are accepted"""
    r = sign(client, website=website)
    assert r.status_code == 400, "Escaping cannot make a link safe: check the address scheme"
    assert stored(client) == [], "A refused entry must not be stored"
    assert "javascript:" not in client.get("/").text.lower(), (
        "The dangerous link must not reach the page"
    )


@pytest.mark.points(2)
@pytest.mark.parametrize(
    "name, message",
    [
        ("", "Hi"),
        ("   ", "Hi"),
        ("A" * 41, "Hi"),
        ("Ann", ""),
        ("Ann", "\n\t "),
        ("Ann", "x" * 501),
    ],
)
def test_bad_fields_refused(client, name, message):
    """Empty, blank or too long fields are refused with 400 and an explanation"""
    r = sign(client, name=name, message=message)
    assert r.status_code == 400, "Check lengths after stripping spaces"
    assert stored(client) == [], "A refused entry must not be stored"
    assert "characters" in r.text, "Tell the visitor what the rule is"


@pytest.mark.points(5)
def test_limits_are_inclusive(client):
    """40-character names and 500-character messages are fine"""
    r = sign(client, name="N" * 40, message="m" * 500)
    assert r.status_code == 303, "The limits themselves are allowed"
