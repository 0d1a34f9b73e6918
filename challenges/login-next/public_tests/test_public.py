"""Public checks for the sign-in: run them while you work."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "The page should carry a hidden csrf_token input"
    return found.group(1)


def test_dashboard_needs_a_login(client):
    """The dashboard sends visitors to /login?next=/dashboard"""
    r = client.get("/dashboard")
    assert r.status_code == 302
    target = urlsplit(r.location)
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == ["/dashboard"]


def test_sign_in_shows_the_dashboard(client):
    """Ann can sign in and is greeted on the dashboard"""
    token = form_token(client.get("/login").text)
    r = client.post("/login", data={"username": "ann", "password": "correct-horse",
                                    "csrf_token": token})
    assert r.status_code == 302
    assert "Hello, Ann" in client.get("/dashboard").text
