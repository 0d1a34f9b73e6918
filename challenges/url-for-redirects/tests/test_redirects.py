"""Hidden tests: redirects of every kind."""

from __future__ import annotations

import pytest

MOUNT = "app.config.update(APPLICATION_ROOT='/shop') or True"


def path_of(location: str | None) -> str:
    location = location or ""
    return location.removeprefix("http://localhost")


@pytest.mark.points(6)
def test_home_redirects_to_books(client):
    """The home page redirects to the book list"""
    r = client.get("/")
    assert r.status_code == 302, "The home page should redirect (302) to the list"
    assert path_of(r.location) == "/books", "The redirect should lead to the book list"


@pytest.mark.points(10)
def test_old_urls_moved_permanently(client):
    """Old book URLs are permanently redirected"""
    for book_id in [2, 42]:
        r = client.get(f"/old-books/{book_id}")
        assert r.status_code == 301, "The old URLs are gone for good: which status says so?"
        assert path_of(r.location) == f"/books/{book_id}", "Redirect to the book's new URL"


@pytest.mark.points(12)
def test_post_redirect_get(client):
    """Adding a book redirects (See Other) to its page"""
    r = client.post("/books", json={"title": "Flask by Example", "author": "Gareth Dwyer"})
    assert r.status_code == 303, "After a successful POST, send the client to GET the result"
    assert path_of(r.location) == "/books/6", "Redirect to the new book's page"
    r = client.post(
        "/books", json={"title": "Another", "author": "Gareth Dwyer"}, follow_redirects=True
    )
    assert r.status_code == 200 and r.get_json()["id"] == 7, "Following the redirect shows the book"
    assert client.get("/authors/Gareth%20Dwyer").get_json()["books"] == ["/books/6", "/books/7"], (
        "The new books belong to their author"
    )


@pytest.mark.points(5)
def test_bad_new_book(client):
    """A book without title or author is refused"""
    for body in [{}, {"title": "x"}, {"title": " ", "author": "y"}, ["x", "y"]]:
        r = client.post("/books", json=body)
        assert r.status_code == 400, "A book needs a title and an author"
    assert client.get("/books/6").status_code == 404, "A refused book is not added"


@pytest.mark.points(6)
def test_redirects_follow_the_mount_point(client, learner):
    """Redirects follow when the app is mounted under a prefix"""
    assert learner.eval(MOUNT), "The test could not mount the app"
    assert path_of(client.get("/old-books/1").location) == "/shop/books/1", (
        "Build redirect targets with url_for too"
    )
    assert path_of(client.get("/").location) == "/shop/books", "The home redirect too"


@pytest.mark.points(8)
def test_go_to_local_path(client):
    """/go redirects to local paths"""
    for target in ["/books/2", "/authors/Eric%20Matthes"]:
        r = client.get("/go", query_string={"next": target})
        assert r.status_code == 302, "/go answers with a redirect"
        assert path_of(r.location) == target, "A local path is a safe place to go"


@pytest.mark.points(12)
def test_go_refuses_other_sites(client):
    """/go never sends visitors to another site"""
    for target in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
    ]:
        r = client.get("/go", query_string={"next": target})
        assert r.status_code == 302, "/go answers with a redirect"
        assert path_of(r.location) == "/books", "Anything but a local path goes to the book list"
