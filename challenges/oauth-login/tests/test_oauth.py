"""Hidden tests: Authlib's Flask client against a provider served by the tests."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from itsdangerous import URLSafeTimedSerializer

CALLBACK = "http://localhost/auth/callback"  # url_for(..., _external=True) in the test client


def start(client, provider) -> requests.Response:
    """GET /login, then let the provider answer the browser's visit to the authorize URL."""
    r = client.get("/login")
    assert r.status_code == 302, "GET /login redirects the browser to the provider"
    assert (r.location or "").startswith(f"{provider.url}/authorize?"), (
        "Redirect to the provider's authorize URL, built from OAUTH_SERVER_URL"
    )
    return requests.get(r.location, allow_redirects=False, timeout=5)


def back_to_app(client, answer: requests.Response, state: str | None = None):
    """Follow the provider's redirect back into the app, optionally with another state."""
    assert answer.status_code == 302, (
        "The provider refused the authorization request: check the client id, the redirect URI "
        "and PKCE"
    )
    target = urlsplit(answer.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == CALLBACK, (
        "The provider sends the browser back to the redirect URI the app asked for"
    )
    query = parse_qs(target.query)
    if state is not None:
        query["state"] = [state]
    return client.get(target.path, query_string={k: v[0] for k, v in query.items()})


def session_payload(response) -> str:
    """The contents of the Flask session cookie a response sets, read as any browser could."""
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        if name == "session":
            # the signature only stops changes: the payload decodes without the secret key
            reader = URLSafeTimedSerializer("not-the-key", salt="cookie-session")
            _valid, payload = reader.loads_unsafe(rest.split(";", 1)[0])
            return json.dumps(payload)
    return ""


@pytest.mark.points(15)
def test_login_redirect(client, provider):
    """GET /login sends the browser to the provider with the right parameters"""
    r = client.get("/login")
    assert r.status_code == 302, "GET /login redirects the browser to the provider"
    url = urlsplit(r.location or "")
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider.url}/authorize", (
        "Build the authorize URL from OAUTH_SERVER_URL"
    )
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query.get("response_type") == "code", "Use the authorization-code flow"
    assert query.get("client_id") == provider.client.client_id, (
        "The client id comes from OAUTH_CLIENT_ID"
    )
    assert query.get("redirect_uri") == CALLBACK, (
        "The redirect URI is the absolute URL of the callback view, built with url_for"
    )
    assert set(query.get("scope", "").split()) == {"profile", "email"}, "Ask for profile and email"
    assert len(query.get("state", "")) >= 16, "Send a random state (Authlib does this for you)"
    assert query.get("code_challenge_method") == "S256" and query.get("code_challenge"), (
        "Use PKCE with S256"
    )


@pytest.mark.points(25)
def test_full_sign_in(client, provider):
    """After the provider says yes, /me shows the provider's user"""
    assert client.get("/me").status_code == 401, "Before signing in, /me answers 401"
    r = back_to_app(client, start(client, provider))
    assert r.status_code == 302, (
        "The callback exchanges the code for a token (with the secret from OAUTH_CLIENT_SECRET), "
        "then redirects"
    )
    assert urlsplit(r.location or "").path == "/me", "After signing in, redirect to /me"
    me = client.get("/me")
    assert me.status_code == 200, "After signing in, /me answers 200"
    assert me.get_json() == provider.ann, (
        "/me shows sub, name and email from the provider's /userinfo"
    )


@pytest.mark.points(15)
def test_forged_state(client, provider):
    """A callback whose state does not match is refused"""
    r = back_to_app(client, start(client, provider), state="forged-state-from-another-site")
    assert r.status_code == 400, "A state that does not match the one sent must be refused with 400"
    assert r.get_json(silent=True) == {"error": "mismatching_state"}, (
        "Answer {'error': <the OAuth error code>}"
    )
    assert client.get("/me").status_code == 401, "A refused callback signs nobody in"


@pytest.mark.points(10)
def test_callback_without_login(client, provider):
    """A callback that the app never started is refused"""
    r = client.get("/auth/callback", query_string={"code": "stolen", "state": "whatever"})
    assert r.status_code == 400, "Without a login in progress, the callback answers 400"
    assert client.get("/me").status_code == 401, "A refused callback signs nobody in"


@pytest.mark.points(10)
def test_access_denied(client, provider):
    """When the user says no at the provider, the app answers 400 with the error"""
    provider.user = None
    r = back_to_app(client, start(client, provider))
    assert r.status_code == 400, "The provider's error reaches the callback: answer 400"
    assert r.get_json(silent=True) == {"error": "access_denied"}, (
        "Pass on the provider's error code"
    )
    assert client.get("/me").status_code == 401, "Nobody is signed in"


@pytest.mark.points(15)
def test_token_stays_on_the_server(client, provider):
    """The access token never travels to the browser"""
    r = back_to_app(client, start(client, provider))
    assert r.status_code == 302, "Signing in should work first"
    assert provider.tokens, "The app should have asked the provider for a token"
    cookie = session_payload(r)
    assert cookie, "The callback stores who signed in, in the session"
    for token in provider.tokens:
        assert token not in cookie, (
            "Flask's session is a signed cookie, readable by the browser: keep the token out of it"
        )
    assert client.get("/me").get_json(silent=True) == provider.ann, "/me still shows the user"


@pytest.mark.points(10)
def test_logout(client, provider):
    """POST /logout ends the sign-in"""
    back_to_app(client, start(client, provider))
    assert client.get("/me").status_code == 200, "Signing in should work first"
    assert client.post("/logout").status_code == 204, "POST /logout answers 204"
    assert client.get("/me").get_json(silent=True) == {"error": "not signed in"}, (
        "After logging out, /me answers 401 {'error': 'not signed in'}"
    )
