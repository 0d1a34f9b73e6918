"""Public tests: run them with `grader test`."""

from __future__ import annotations


def test_home_page(client):
    """The home page says hello"""
    r = client.get("/")
    assert r.status_code == 200
    assert r.text == "Hello, Flask!"


def test_about_page(client):
    """The about page describes the site"""
    r = client.get("/about")
    assert r.status_code == 200
    assert r.text == "This site is built with Flask."
