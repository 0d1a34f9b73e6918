"""Public checks for the roles: run them while you work."""

from __future__ import annotations


def sign_in(client, username: str, password: str) -> dict[str, str]:
    headers = {"X-CSRFToken": client.get("/csrf-token").get_json()["csrf_token"]}
    assert client.post("/login", json={"username": username, "password": password},
                       headers=headers).status_code == 200
    return headers


def test_reader_cannot_write(client):
    """A reader gets 403 when writing an article"""
    headers = sign_in(client, "rita", "reader-pass-1")
    r = client.post("/articles", json={"title": "Scoop"}, headers=headers)
    assert r.status_code == 403
    assert r.get_json() == {"error": "forbidden"}


def test_editor_can_write(client):
    """An editor writes an article"""
    headers = sign_in(client, "ed", "editor-pass-2")
    assert client.post("/articles", json={"title": "Scoop"}, headers=headers).status_code == 201


def test_anonymous_gets_401(client):
    """Without a login, writing is 401"""
    headers = {"X-CSRFToken": client.get("/csrf-token").get_json()["csrf_token"]}
    assert client.post("/articles", json={"title": "Scoop"}, headers=headers).status_code == 401
