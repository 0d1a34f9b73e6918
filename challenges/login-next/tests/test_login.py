"""Hidden tests: Flask-Login sessions, protected pages, a safe `next`, remember me, sign out."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

ANN = {"username": "ann", "password": "correct-horse"}


def form_token(html: str) -> str:
    for tag in re.findall(r"<input\b[^>]*>", html):
        if re.search(r'\bname="csrf_token"', tag):
            found = re.search(r'\bvalue="([^"]+)"', tag)
            if found:
                return found.group(1)
    raise AssertionError("The page should carry a hidden csrf_token input")


def sign_in(client, next_url: str | None = None, remember: bool = False, **fields: str):
    query = {"query_string": {"next": next_url}} if next_url is not None else {}
    data = {**ANN, **fields, "csrf_token": form_token(client.get("/login", **query).text)}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data, **query)


def path_of(location: str | None) -> str:
    """The path and query a redirect points to, if it stays on this site ('' otherwise)."""
    parts = urlsplit(location or "")
    if parts.netloc not in ("", "localhost"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.points(12)
def test_pages_need_a_login(client):
    """A visitor who is not signed in is sent to the login page, with next"""
    for page in ("/dashboard", "/settings"):
        r = client.get(page)
        assert r.status_code == 302, f"{page} redirects visitors who are not signed in"
        target = urlsplit(r.location or "")
        assert target.path == "/login", "Send them to the login page"
        assert parse_qs(target.query).get("next") == [page], (
            "Tell the login page where the visitor wanted to go, in ?next="
        )


@pytest.mark.points(10)
def test_api_answers_401(client):
    """The API answers 401 with JSON instead of a redirect"""
    r = client.get("/api/me")
    assert r.status_code == 401, "An API client cannot use a login page: answer 401"
    assert r.get_json(silent=True) == {"error": "login required"}, (
        "Customise what Flask-Login does for unauthorised API requests"
    )


@pytest.mark.points(15)
def test_sign_in(client):
    """The right password signs in and leads to the dashboard"""
    r = sign_in(client)
    assert r.status_code == 302, "A successful sign-in redirects"
    assert path_of(r.location) == "/dashboard", "Without next, go to the dashboard"
    assert "Hello, Ann" in client.get("/dashboard").text, "The dashboard greets the signed-in user"
    assert client.get("/api/me").get_json() == {"username": "ann", "name": "Ann"}, (
        "The API should see the signed-in user in current_user"
    )


@pytest.mark.points(10)
def test_wrong_credentials(client):
    """Wrong credentials show the form again and sign nobody in"""
    for fields in ({"password": "wrong-horse"}, {"username": "nobody"}):
        r = sign_in(client, **fields)
        assert r.status_code == 200, "Answer wrong credentials with the form again"
        assert "Invalid username or password." in r.text, (
            "Say the credentials are wrong, without telling which part"
        )
        assert client.get("/api/me").status_code == 401, "Nobody is signed in"


@pytest.mark.points(12)
def test_next_is_followed(client):
    """After signing in, the visitor lands where they wanted to go"""
    for next_url in ("/settings", "/settings?tab=email"):
        r = sign_in(client, next_url=next_url)
        assert r.status_code == 302, "A successful sign-in redirects"
        assert path_of(r.location) == next_url, "Redirect to the page named in ?next="


@pytest.mark.points(15)
def test_next_elsewhere_is_ignored(client):
    """A next that leaves the site is ignored"""
    for next_url in ("https://evil.example/steal", "//evil.example/steal",
                     "/\\evil.example/steal", "/\t/evil.example/steal", "settings"):
        r = sign_in(client, next_url=next_url)
        assert r.status_code == 302, "A successful sign-in redirects"
        assert path_of(r.location) == "/dashboard", (
            f"next={next_url!r} is not a path on this site: go to the dashboard instead"
        )


@pytest.mark.points(12)
def test_remember_me(client, learner):
    """Keep me signed in sets a remember cookie for 14 days, and only when asked"""
    plain = sign_in(client)
    assert not any(c.startswith("remember_token=") for c in plain.headers.getlist("Set-Cookie")), (
        "Without the box ticked, the login ends with the browser session"
    )
    client.post("/logout", data={"csrf_token": form_token(client.get("/dashboard").text)})
    ticked = sign_in(client, remember=True)
    assert any(c.startswith("remember_token=") for c in ticked.headers.getlist("Set-Cookie")), (
        "With the box ticked, pass remember to login_user"
    )
    assert learner.eval("app.config['REMEMBER_COOKIE_DURATION'].days") == 14, (
        "The remember cookie should last 14 days"
    )


@pytest.mark.points(12)
def test_sign_out(client):
    """Signing out is a POST with its CSRF token, and it ends the login"""
    sign_in(client)
    assert client.post("/logout").status_code == 400, (
        "Signing out changes state: keep CSRF protection on the POST"
    )
    assert client.get("/api/me").status_code == 200, "A refused sign-out leaves the user signed in"
    r = client.post("/logout", data={"csrf_token": form_token(client.get("/dashboard").text)})
    assert r.status_code == 302 and path_of(r.location) == "/login", (
        "After signing out, go back to the login page"
    )
    assert client.get("/api/me").status_code == 401, "After signing out nobody is signed in"
    assert client.get("/dashboard").status_code == 302, "The dashboard is closed again"
