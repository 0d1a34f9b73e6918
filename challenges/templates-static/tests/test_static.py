"""Hidden tests: the stylesheet and the script, served from static/ and linked with url_for."""

from __future__ import annotations

import re

import pytest

MOUNT = "app.config.update(APPLICATION_ROOT='/shop') or True"


def head_links(html: str) -> tuple[list[str], list[str]]:
    head = html.split("</head>", 1)[0]
    styles = re.findall(r'<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"', head)
    styles += re.findall(r'<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="stylesheet"', head)
    scripts = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', head)
    return styles, scripts


@pytest.mark.points(14)
def test_pages_link_static_files(client):
    """Both pages link the stylesheet and the script in their head"""
    for path in ["/", "/recipes/pancakes"]:
        styles, scripts = head_links(client.get(path).text)
        assert "/static/css/site.css" in styles, (
            "Link static/css/site.css as a stylesheet in <head>"
        )
        assert "/static/js/search.js" in scripts, (
            "Load static/js/search.js with a script tag in <head>"
        )


@pytest.mark.points(10)
def test_static_files_are_served(client):
    """The stylesheet and the script are served with their types"""
    css = client.get("/static/css/site.css")
    assert css.status_code == 200 and css.mimetype == "text/css", (
        "Keep the stylesheet in static/css/"
    )
    js = client.get("/static/js/search.js")
    assert js.status_code == 200, "Create static/js/search.js"
    assert js.mimetype in ("text/javascript", "application/javascript"), "It should be a .js file"
    assert js.data.strip(), "The script should not be empty"


@pytest.mark.points(10)
def test_static_links_follow_the_mount_point(client, learner):
    """Static links follow when the app is mounted under a prefix"""
    assert learner.eval(MOUNT), "The test could not mount the app"
    for path in ("/", "/recipes/pancakes"):
        styles, scripts = head_links(client.get(path).text)
        assert "/shop/static/css/site.css" in styles and "/shop/static/js/search.js" in scripts, (
            "Hand-written /static/... links break when the app is mounted under a prefix"
        )
