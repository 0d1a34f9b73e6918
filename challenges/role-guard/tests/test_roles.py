"""Hidden tests: a require_roles decorator that tells 401 from 403 and reads roles every time."""

from __future__ import annotations

import pytest
import requests

PASSWORDS = {"rita": "reader-pass-1", "ed": "editor-pass-2", "ada": "admin-pass-3"}
FORBIDDEN = {"error": "forbidden"}


def token(client) -> dict[str, str]:
    return {"X-CSRFToken": client.get("/csrf-token").get_json()["csrf_token"]}


def sign_in(client, username: str) -> None:
    r = client.post("/login", json={"username": username, "password": PASSWORDS[username]},
                    headers=token(client))
    assert r.status_code == 200, "The starter's login should keep working"


def call(client, method: str, path: str, body: dict | None = None):
    kwargs = {"json": body} if body is not None else {}
    return client.open(path, method=method, headers=token(client), **kwargs)


@pytest.mark.points(15)
def test_anonymous_gets_401(client):
    """A visitor who is not signed in gets 401, whatever the role needed"""
    for method, path in [("GET", "/articles"), ("POST", "/articles"), ("DELETE", "/articles/1"),
                         ("GET", "/admin/users"), ("PUT", "/admin/users/rita/roles")]:
        body = {"title": "x", "roles": ["admin"]} if method in ("POST", "PUT") else None
        r = call(client, method, path, body)
        assert r.status_code == 401, (
            f"{method} {path} without a login is 401: the app does not know who asks"
        )
        assert r.get_json(silent=True) == {"error": "login required"}, (
            "Answer {'error': 'login required'}"
        )


@pytest.mark.points(15)
def test_reader(client):
    """A reader can read, and gets 403 for everything else"""
    sign_in(client, "rita")
    assert call(client, "GET", "/articles").status_code == 200, "Every signed-in user can read"
    for method, path, body in [("POST", "/articles", {"title": "Scoop"}),
                               ("DELETE", "/articles/1", None),
                               ("GET", "/admin/users", None),
                               ("PUT", "/admin/users/rita/roles", {"roles": ["admin"]})]:
        r = call(client, method, path, body)
        assert r.status_code == 403, (
            f"{method} {path} by a reader: signed in but not allowed is 403, not 401 or 200"
        )
        assert r.get_json(silent=True) == FORBIDDEN, "Answer {'error': 'forbidden'}"
    articles = call(client, "GET", "/articles").get_json()["articles"]
    assert [a["id"] for a in articles] == [1], "A refused request must change nothing"


@pytest.mark.points(15)
def test_editor(client):
    """An editor can write articles but not delete them or manage users"""
    sign_in(client, "ed")
    r = call(client, "POST", "/articles", {"title": "Scoop"})
    assert r.status_code == 201, "Editors may write articles"
    assert r.get_json() == {"id": 2, "title": "Scoop", "author": "ed"}, "The article is created"
    assert call(client, "DELETE", "/articles/1").status_code == 403, "Only admins delete"
    assert call(client, "GET", "/admin/users").status_code == 403, "Only admins manage users"


@pytest.mark.points(15)
def test_admin(client):
    """An admin can write, delete and manage users"""
    sign_in(client, "ada")
    r = call(client, "POST", "/articles", {"title": "Memo"})
    assert r.status_code == 201, (
        "Writing is allowed for editors OR admins: one of the roles is enough"
    )
    assert call(client, "DELETE", "/articles/1").status_code == 204, "Admins may delete"
    assert call(client, "DELETE", "/articles/1").status_code == 404, "A deleted article is gone"
    assert call(client, "GET", "/admin/users").get_json(silent=True) == {"users": [
        {"username": "ada", "roles": ["admin"]},
        {"username": "ed", "roles": ["editor"]},
        {"username": "rita", "roles": ["reader"]},
    ]}, "GET /admin/users lists every user and their roles, sorted by username"


@pytest.mark.points(10)
def test_set_roles(client):
    """An admin changes a user's roles; bad roles and unknown users are refused"""
    sign_in(client, "ada")
    r = call(client, "PUT", "/admin/users/rita/roles", {"roles": ["reader", "editor"]})
    assert r.status_code == 200, "PUT /admin/users/<username>/roles sets the roles"
    assert r.get_json() == {"username": "rita", "roles": ["editor", "reader"]}, (
        "Answer the user with the new roles, sorted"
    )
    for bad in ({"roles": ["owner"]}, {"roles": "admin"}):
        assert call(client, "PUT", "/admin/users/rita/roles", bad).status_code == 400, (
            "roles must be a list drawn from reader, editor and admin"
        )
    assert call(client, "PUT", "/admin/users/nobody/roles", {"roles": []}).status_code == 404, (
        "An unknown user is 404"
    )


@pytest.mark.points(20)
def test_role_change_applies_at_once(live_server):
    """A role change applies to a user who is already signed in"""
    editor, admin = requests.Session(), requests.Session()

    def send(session, method, path, body=None):
        csrf = session.get(f"{live_server}/csrf-token", timeout=5).json()["csrf_token"]
        headers = {"X-CSRFToken": csrf}
        return session.request(method, f"{live_server}{path}", json=body, headers=headers,
                               timeout=5)

    assert send(editor, "POST", "/login", {"username": "ed", "password": PASSWORDS["ed"]}).ok
    assert send(admin, "POST", "/login", {"username": "ada", "password": PASSWORDS["ada"]}).ok
    assert send(editor, "POST", "/articles", {"title": "Before"}).status_code == 201, (
        "Ed is an editor and may write"
    )
    demoted = send(admin, "PUT", "/admin/users/ed/roles", {"roles": ["reader"]})
    assert demoted.status_code == 200, "The admin demotes ed to reader"
    assert send(editor, "POST", "/articles", {"title": "After"}).status_code == 403, (
        "Ed is still signed in but no longer an editor, so his next write gets 403: check the "
        "account's current roles, not a copy taken when he signed in"
    )
    assert send(editor, "GET", "/articles").status_code == 200, "Ed can still read"
