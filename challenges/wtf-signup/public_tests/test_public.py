"""Public checks for the signup form: run them while you work."""

from __future__ import annotations

import re


def csrf_token(html: str) -> str:
    for tag in re.findall(r"<input\b[^>]*>", html):
        if re.search(r'\bname="csrf_token"', tag):
            found = re.search(r'\bvalue="([^"]+)"', tag)
            if found:
                return found.group(1)
    raise AssertionError("The signup page should carry a hidden csrf_token input")


def test_signup_page_has_a_token(client):
    """The signup page shows the form with a hidden CSRF token"""
    r = client.get("/signup")
    assert r.status_code == 200
    assert 'name="username"' in r.text and 'name="confirm"' in r.text
    assert csrf_token(r.text)


def test_a_valid_signup_is_listed(client):
    """A valid signup redirects to /members, which lists it"""
    token = csrf_token(client.get("/signup").text)
    r = client.post("/signup", data={"username": "ann", "email": "ann@example.org",
                                     "password": "correct-horse", "confirm": "correct-horse",
                                     "csrf_token": token})
    assert r.status_code == 303
    assert client.get("/members").get_json()["members"] == ["ann"]


def test_a_post_without_token_is_refused(client):
    """A POST without the CSRF token is refused with 400"""
    r = client.post("/signup", data={"username": "ann", "email": "ann@example.org",
                                     "password": "correct-horse", "confirm": "correct-horse"})
    assert r.status_code == 400
