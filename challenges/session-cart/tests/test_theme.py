"""Hidden tests: the theme kept in a plain cookie."""

from __future__ import annotations

import pytest


def theme_cookie(response) -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("theme="):
            return header
    return ""


@pytest.mark.points(10)
def test_theme_cookie_is_set_and_read(client):
    """The chosen theme is stored in a cookie and read back"""
    r = client.post("/theme", json={"theme": "dark"})
    assert r.status_code == 200, "Choosing a known theme should succeed"
    assert theme_cookie(r).startswith("theme=dark"), "Send the theme back in a cookie named theme"
    assert client.get("/theme").get_json() == {"theme": "dark"}, (
        "GET /theme should read the theme from the cookie the browser sends back"
    )


@pytest.mark.points(10)
def test_theme_cookie_attributes(client):
    """The theme cookie lasts 30 days, is HttpOnly and SameSite=Lax"""
    cookie = theme_cookie(client.post("/theme", json={"theme": "light"})).lower()
    assert "max-age=2592000" in cookie, (
        "Without max_age the cookie disappears when the browser closes"
    )
    assert "httponly" in cookie, "Scripts in the page have no business reading this cookie"
    assert "samesite=lax" in cookie, "Check the SameSite attribute of the cookie"


@pytest.mark.points(10)
def test_unknown_theme(client):
    """An unknown theme is refused and sets no cookie"""
    r = client.post("/theme", json={"theme": "<script>"})
    assert r.status_code == 400, "Only known themes may be chosen"
    assert theme_cookie(r) == "", "A refused theme must not be stored"
    assert client.get("/theme").get_json() == {"theme": "light"}, "The default theme is light"
