"""Public tests: run them with `grader test`."""

from __future__ import annotations


def test_home_page_title(client):
    """The home page's title ends with the site name"""
    r = client.get("/")
    assert r.status_code == 200
    assert "<title>Home · Flask Blog</title>" in r.text


def test_footer_on_about_page(client):
    """The about page has the shared footer"""
    r = client.get("/about")
    assert r.status_code == 200
    assert '<footer id="site-footer">© 2026 Flask Blog</footer>' in r.text
