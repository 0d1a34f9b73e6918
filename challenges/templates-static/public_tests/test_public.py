"""Public tests: run them with `grader test`."""

from __future__ import annotations

import re


def test_recipe_list(client):
    """The home page lists every recipe"""
    r = client.get("/")
    assert r.status_code == 200
    assert r.text.count('class="recipe"') == 4


def test_stylesheet_is_served(client):
    """The stylesheet is served from the static folder"""
    r = client.get("/static/css/site.css")
    assert r.status_code == 200
    assert r.mimetype == "text/css"
    assert re.search(r'<link[^>]+href="/static/css/site.css"', client.get("/").text)
