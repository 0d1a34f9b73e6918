"""Hidden tests: HTML error pages."""

from __future__ import annotations

import pytest


@pytest.mark.points(8)
@pytest.mark.parametrize("path", ["/books/99", "/no/such/page"])
def test_html_not_found_page(client, path):
    """Unknown pages get the custom 404 page with status 404"""
    r = client.get(path)
    assert r.status_code == 404, (
        "An unknown page should answer 404 Not Found; check the status code you send"
    )
    assert r.mimetype == "text/html", "The 404 page outside the API is an HTML page"
    assert "Page not found" in r.text, "Show the custom 404 page from templates/"
    assert 'href="/"' in r.text, "Offer a way back to the home page"


@pytest.mark.points(15)
def test_server_error_page(client):
    """An unhandled exception gets the custom 500 page and hides the details"""
    r = client.get("/reports")
    assert r.status_code == 500, "An unhandled exception is a 500 Internal Server Error"
    assert "Something went wrong" in r.text, "Show the custom 500 page from templates/"
    assert "ZeroDivisionError" not in r.text and "division" not in r.text, (
        "Never show the exception to visitors"
    )


@pytest.mark.points(5)
def test_known_pages_still_work(client):
    """Error handling does not break the normal pages"""
    assert client.get("/").status_code == 200, "The home page should still work"
    r = client.get("/books/3")
    assert r.status_code == 200 and "Ulysses" in r.text, "Known books should still have a page"
