"""Public checks for the accounts: run them while you work."""

from __future__ import annotations

JSON = {"Accept": "application/json"}


def token(client) -> dict[str, str]:
    r = client.get("/login", headers=JSON)
    return {**JSON, "X-CSRF-Token": r.get_json()["response"]["csrf_token"]}


def test_register_makes_a_member(client):
    """A new account is a member"""
    r = client.post("/register", headers=token(client),
                    json={"email": "ann@example.org", "password": "correct-horse-battery",
                          "password_confirm": "correct-horse-battery"})
    assert r.status_code == 200
    assert client.get("/profile", headers=JSON).get_json() == {"email": "ann@example.org",
                                                               "roles": ["member"]}


def test_profile_needs_a_login(client):
    """/profile answers 401 without a login"""
    assert client.get("/profile", headers=JSON).status_code == 401
