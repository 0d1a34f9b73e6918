"""Public checks for the bookmarks: run them while you work."""

from __future__ import annotations


def test_connected(learner):
    """MongoEngine is connected to the bookmarks database"""
    assert learner.eval("__import__('mongoengine').get_db().name") == "bookmarks"


def test_a_bookmark_is_saved(client):
    """A new bookmark can be read back"""
    r = client.post(
        "/bookmarks", json={"url": "https://flask.palletsprojects.com/", "title": "Flask"}
    )
    assert r.status_code == 201
    bookmark = r.get_json()
    assert client.get(f"/bookmarks/{bookmark['id']}").get_json() == bookmark
