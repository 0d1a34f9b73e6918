"""Public checks for the OAuth sign-in: run them while you work (conftest.py is the provider)."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests


def test_login_redirects_to_the_provider(client, provider):
    """GET /login redirects to the provider's authorize URL"""
    r = client.get("/login")
    assert r.status_code == 302
    assert r.location.startswith(f"{provider.url}/authorize?")


def test_sign_in(client, provider):
    """The whole flow signs Ann in"""
    answer = requests.get(client.get("/login").location, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert client.get(back.path, query_string=back.query).status_code == 302
    assert client.get("/me").get_json() == provider.ann
