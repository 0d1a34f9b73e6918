"""Hidden tests: a Flask-WTF signup form that validates, re-renders and checks its CSRF token."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

EXPIRED = "The form has expired or was not sent from this site."
GOOD = {"username": "ann", "email": "ann@example.org", "password": "correct-horse",
        "confirm": "correct-horse"}


class Inputs(HTMLParser):
    """Every <input> of a page, as a dict of its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[dict[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            self.found.append({k: v or "" for k, v in attrs})

    def named(self, name: str) -> list[dict[str, str]]:
        return [i for i in self.found if i.get("name") == name]


def token(client) -> str:
    """The CSRF token of the signup page, as a browser would send it back."""
    fields = Inputs(client.get("/signup").text).named("csrf_token")
    assert fields and fields[0].get("value"), "The signup page should carry a hidden csrf_token"
    return fields[0]["value"]


def sign_up(client, **changes: str):
    return client.post("/signup", data={**GOOD, "csrf_token": token(client), **changes})


def members(client) -> dict:
    return client.get("/members").get_json()


def errors(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", e).strip()
            for e in re.findall(r'class="error"[^>]*>(.*?)</', html, re.DOTALL)]


@pytest.mark.points(10)
def test_form_page(client):
    """The signup page shows the four fields, a hidden CSRF token and no errors yet"""
    r = client.get("/signup")
    assert r.status_code == 200, "GET /signup shows the form"
    page = Inputs(r.text)
    for name in ("username", "email", "password", "confirm"):
        assert page.named(name), "The form needs username, email, password and confirm inputs"
    assert [i.get("type") for i in page.named("password")] == ["password"], (
        "The password input should hide what is typed"
    )
    hidden = page.named("csrf_token")
    assert hidden and hidden[0].get("type") == "hidden" and len(hidden[0].get("value", "")) > 20, (
        "Render the form's CSRF token as a hidden field inside the form"
    )
    assert errors(r.text) == [], (
        "A form that was never sent should not show errors: validate only submitted forms"
    )


@pytest.mark.points(15)
def test_valid_signup(client):
    """A valid signup is stored and answered with a redirect to /members"""
    r = sign_up(client)
    assert r.status_code == 303, "After a successful POST, redirect with 303 See Other"
    assert (r.location or "").endswith("/members"), "Redirect to /members"
    assert members(client)["members"] == ["ann"], "The new member should be listed"


@pytest.mark.points(20)
def test_invalid_signup_is_shown_again(client):
    """A signup that breaks a rule shows the form again with the error"""
    for changes, message in [
        ({"email": "ann-at-example"}, "Enter a valid email address."),
        ({"password": "short", "confirm": "short"}, "Passwords have at least 8 characters."),
        ({"confirm": "something-else"}, "Passwords must match."),
        ({"username": "al"}, "Usernames have 3 to 20 characters."),
        ({"username": ""}, "Choose a username."),
    ]:
        r = sign_up(client, **changes)
        assert r.status_code == 200, (
            "Answer an invalid form with the page again (200), not a redirect"
        )
        assert message in errors(r.text), (
            f"Expected the error {message!r} in an element with class=\"error\""
        )
        page = Inputs(r.text)
        username = page.named("username")
        assert username and username[0].get("value", "") == changes.get("username", "ann"), (
            "Keep what the visitor typed in the username field"
        )
        assert all(not i.get("value") for i in page.named("password") + page.named("confirm")), (
            "Never send a password back in the page"
        )
    assert members(client)["members"] == [], "An invalid signup must not be stored"


@pytest.mark.points(15)
def test_taken_username(client):
    """A username that is taken, in any case, is refused"""
    assert sign_up(client).status_code == 303, "The first signup should succeed"
    r = sign_up(client, username="ANN", email="other@example.org")
    assert r.status_code == 200, "The second signup should be shown again"
    assert "That username is taken." in errors(r.text), (
        "Check the username in a custom validator of the form"
    )
    assert members(client)["members"] == ["ann"], "Only one ann may exist"


@pytest.mark.points(15)
def test_signup_without_a_good_token(client):
    """A signup without its CSRF token, or with a forged one, is refused with 400"""
    client.get("/signup")
    forged = "IjA5ZjQ1YjRiMDk1NWQ5NjE3NmE4NTk3YmM2ZGUwYWY0MGI2Yzk5NTQi.Zm9v.YmFy"
    for data in (GOOD, {**GOOD, "csrf_token": forged}):
        r = client.post("/signup", data=data)
        assert r.status_code == 400, (
            "A POST without a valid CSRF token (missing or forged) should be refused with 400"
        )
        assert EXPIRED in r.text, "Explain the refusal on the CSRF error page"
    assert members(client)["members"] == [], "A refused form must not create a member"


@pytest.mark.points(15)
def test_newsletter_form_is_protected(client):
    """The plain newsletter form is protected too"""
    r = client.post("/newsletter", data={"email": "bob@example.org"})
    assert r.status_code == 400, (
        "A form that is not a FlaskForm needs protection too: is CSRF checked app-wide?"
    )
    assert members(client)["subscribers"] == [], "A refused POST must not subscribe anybody"
    r = client.post("/newsletter", data={"email": "bob@example.org", "csrf_token": token(client)})
    assert r.status_code == 303, "With its token the newsletter form works and redirects"
    assert members(client)["subscribers"] == ["bob@example.org"], "The subscriber is listed"


@pytest.mark.points(5)
@pytest.mark.learner_env(SECRET_KEY="a-secret-from-the-environment")
def test_secret_key_from_environment(learner):
    """CSRF tokens are signed with the SECRET_KEY from the environment"""
    assert learner.eval("app.config['SECRET_KEY']") == "a-secret-from-the-environment", (
        "Tokens are only as secret as the key: read it from the environment"
    )
    assert learner.eval("app.config.get('WTF_CSRF_ENABLED', True)") is True, (
        "CSRF protection must stay on"
    )
