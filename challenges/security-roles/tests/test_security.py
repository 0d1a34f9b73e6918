"""Hidden tests: Flask-Security-Too with registration, hashed passwords and roles."""

from __future__ import annotations

import pytest

JSON = {"Accept": "application/json"}
ANN = ("ann@example.org", "correct-horse-battery")
ADMIN = ("boss@example.org", "staple-gun-orbit-42")
with_admin = pytest.mark.learner_env(ADMIN_EMAIL=ADMIN[0], ADMIN_PASSWORD=ADMIN[1])


def token(client) -> dict[str, str]:
    """Headers with the CSRF token Flask-Security hands out on GET /login."""
    r = client.get("/login", headers=JSON)
    assert r.status_code == 200, "GET /login with Accept: application/json should work"
    return {**JSON, "X-CSRF-Token": r.get_json()["response"]["csrf_token"]}


def register(client, email: str, password: str):
    return client.post("/register", headers=token(client),
                       json={"email": email, "password": password, "password_confirm": password})


def login(client, email: str, password: str):
    return client.post("/login", headers=token(client), json={"email": email, "password": password})


def logout(client) -> None:
    client.post("/logout", headers=token(client))


def stored_password(learner, email: str) -> str | None:
    """The password column of the account, as stored (None if there is no such account)."""
    lookup = f"s.datastore.find_user(email={email!r})"
    return learner.eval(f"(lambda s: s and getattr({lookup}, 'password', None))"
                        "(app.extensions.get('security'))")


@pytest.mark.points(20)
def test_registration(client, learner):
    """Registration refuses short passwords and stores a member with a PBKDF2 hash"""
    r = register(client, ANN[0], "nine-char")
    assert r.status_code == 400, "A password of 9 characters should be refused with 400"
    assert "password" in (r.get_json(silent=True) or {}).get("response", {}).get(
        "field_errors", {}), "The error is about the password field"
    assert stored_password(learner, ANN[0]) is None, "A refused registration creates no account"
    r = register(client, *ANN)
    assert r.status_code == 200, "Turn on registration: POST /register should create the account"
    profile = client.get("/profile", headers=JSON)
    assert profile.status_code == 200, "A new account is signed in and can see /profile"
    assert profile.get_json() == {"email": ANN[0], "roles": ["member"]}, (
        "New accounts get the member role (listen to the user_registered signal)"
    )
    stored = stored_password(learner, ANN[0]) or ""
    assert ANN[1] not in stored, "Never store a password as it was typed"
    assert stored.startswith("$pbkdf2-sha512$"), "Hash passwords with pbkdf2_sha512"


@pytest.mark.points(10)
def test_login_and_logout(client):
    """A member signs out, fails with a wrong password, and signs in again"""
    assert register(client, *ANN).status_code == 200, "Registration should work"
    logout(client)
    assert client.get("/profile", headers=JSON).status_code == 401, "After logout, /profile is 401"
    assert login(client, ANN[0], "wrong-horse-battery").status_code == 400, (
        "A wrong password is refused"
    )
    assert login(client, *ANN).status_code == 200, "The right password signs in"
    assert client.get("/profile", headers=JSON).get_json()["email"] == ANN[0], (
        "/profile shows the signed-in account"
    )


@pytest.mark.points(10)
def test_anonymous(client):
    """Without signing in, the protected views answer 401"""
    for path in ("/profile", "/reports"):
        assert client.get(path, headers=JSON).status_code == 401, (
            f"GET {path} without signing in: protect the view with auth_required"
        )
    r = client.post("/admin/roles", headers=token(client), json={"email": ANN[0], "role": "admin"})
    assert r.status_code == 401, "POST /admin/roles without signing in: 401"


@pytest.mark.points(20)
@with_admin
@pytest.mark.learner_env(SECRET_KEY="key-from-the-environment",
                         SECURITY_PASSWORD_SALT="salt-from-the-environment")
def test_admin_from_environment(client, learner):
    """The admin and the secrets come from the environment; the admin's password is hashed"""
    assert learner.eval("app.config.get('SECRET_KEY')") == "key-from-the-environment", (
        "Read SECRET_KEY from the environment"
    )
    salt = learner.eval("app.config.get('SECURITY_PASSWORD_SALT')")
    assert salt == "salt-from-the-environment", "Read SECURITY_PASSWORD_SALT from the environment"
    # read before the first login: signing in re-hashes a password stored the wrong way
    stored = stored_password(learner, ADMIN[0])
    assert stored is not None, "Create the admin account at start-up from the environment"
    assert ADMIN[1] not in stored and stored.startswith("$pbkdf2-sha512$"), (
        "Store the admin's password as a pbkdf2_sha512 hash: create_user keeps what it is given"
    )
    assert login(client, *ADMIN).status_code == 200, "The admin signs in with ADMIN_PASSWORD"
    assert client.get("/profile", headers=JSON).get_json() == {"email": ADMIN[0],
                                                               "roles": ["admin"]}, (
        "The account has the admin role"
    )


@pytest.mark.points(15)
@with_admin
def test_reports(client):
    """Reports are for analysts or admins; members get 403"""
    register(client, *ANN)
    r = client.get("/reports", headers=JSON)
    assert r.status_code == 403, "A member is signed in but may not see reports: 403"
    logout(client)
    login(client, *ADMIN)
    r = client.get("/reports", headers=JSON)
    assert r.status_code == 200, (
        "An admin may see reports without also being an analyst: one of the roles is enough"
    )
    assert r.get_json() == {"reports": ["2024-q1", "2024-q2"]}, "GET /reports lists the reports"


@pytest.mark.points(20)
@with_admin
def test_grant_role(client):
    """Only an admin grants roles, and a granted role works at once"""
    register(client, *ANN)
    r = client.post("/admin/roles", headers=token(client), json={"email": ANN[0], "role": "admin"})
    assert r.status_code == 403, "A member must not be able to grant roles, least of all admin"
    logout(client)
    login(client, *ADMIN)
    r = client.post("/admin/roles", headers=token(client),
                    json={"email": ANN[0], "role": "analyst"})
    assert r.status_code == 200, "An admin grants a role with POST /admin/roles"
    assert r.get_json() == {"email": ANN[0], "roles": ["analyst", "member"]}, (
        "Answer the account's roles, sorted"
    )
    assert client.post("/admin/roles", headers=token(client),
                       json={"email": ANN[0], "role": "owner"}).status_code == 400, (
        "Only member, analyst and admin are roles"
    )
    r = client.post("/admin/roles", headers=token(client),
                    json={"email": "nobody@example.org", "role": "analyst"})
    assert r.status_code == 404, "An unknown email is 404"
    logout(client)
    login(client, *ANN)
    assert client.get("/reports", headers=JSON).status_code == 200, "Ann is an analyst now"
