"""Hidden tests: links built with url_for."""

from __future__ import annotations

import pytest

MOUNT = "app.config.update(APPLICATION_ROOT='/shop') or True"


@pytest.mark.points(12)
def test_pages_link_to_each_other(client):
    """Pages of the book list link to the next and previous pages"""
    first = client.get("/books").get_json()
    assert [b["id"] for b in first["books"]] == [1, 2] and first["page"] == 1, (
        "Page 1 shows the first two books"
    )
    assert first["next"] == "/books?page=2" and first["prev"] is None, (
        "The first page has a next page and no previous one"
    )
    middle = client.get("/books?page=2").get_json()
    assert middle["next"] == "/books?page=3" and middle["prev"] == "/books?page=1", (
        "Values that are not part of the rule end up in the query string"
    )
    last = client.get("/books?page=3").get_json()
    assert [b["url"] for b in last["books"]] == ["/books/5"] and last["next"] is None, (
        "The last page has no next page"
    )


@pytest.mark.points(5)
def test_pages_without_books(client):
    """Pages without books are Not Found"""
    for query in ["?page=0", "?page=4", "?page=-1"]:
        assert client.get(f"/books{query}").status_code == 404, "Only pages 1 to 3 hold books"


@pytest.mark.points(12)
def test_book_links(client):
    """A book links to its author (escaped) and to itself (absolute)"""
    r = client.get("/books/3")
    assert r.status_code == 200, "A known book should be found"
    body = r.get_json()
    assert body["author"] == {
        "name": "Audrey Roy Greenfeld",
        "url": "/authors/Audrey%20Roy%20Greenfeld",
    }, "Spaces cannot travel in a URL as they are: let url_for escape them"
    assert body["self"] == "http://localhost/books/3", (
        "'self' is an absolute URL, with scheme and host"
    )
    assert client.get("/books/99").status_code == 404, "Unknown books are Not Found"


@pytest.mark.points(8)
def test_author_page(client):
    """An author's page lists the URLs of their books"""
    author_url = client.get("/books/1").get_json()["author"]["url"]
    r = client.get(author_url)
    assert r.status_code == 200, "The author URL of a book should lead to the author's page"
    assert r.get_json() == {"name": "Miguel Grinberg", "books": ["/books/1", "/books/5"]}, (
        "List the URLs of every book of the author"
    )
    assert client.get("/authors/Nobody").status_code == 404, "Authors without books are Not Found"


@pytest.mark.points(15)
def test_links_follow_the_mount_point(client, learner):
    """Every link follows when the app is mounted under a prefix"""
    assert learner.eval(MOUNT), "The test could not mount the app"
    listing = client.get("/books?page=2").get_json()
    assert [b["url"] for b in listing["books"]] == ["/shop/books/3", "/shop/books/4"], (
        "Links written by hand break when the app is mounted under a prefix"
    )
    assert (listing["next"], listing["prev"]) == ("/shop/books?page=3", "/shop/books?page=1"), (
        "Page links should follow the prefix too"
    )
    book = client.get("/books/5").get_json()
    assert book["author"]["url"] == "/shop/authors/Miguel%20Grinberg", "Author links too"
    assert book["self"] == "http://localhost/shop/books/5", "And the absolute link"
    assert client.get("/authors/Eric%20Matthes").get_json()["books"] == ["/shop/books/4"], (
        "The author page's links too"
    )
