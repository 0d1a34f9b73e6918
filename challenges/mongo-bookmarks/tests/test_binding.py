"""Hidden tests: MongoEngine is connected by the factory, from the app's settings."""

from __future__ import annotations

import pytest

DATABASE = (
    "(lambda me: [me.get_db().name, list(me.get_connection().address)])(__import__('mongoengine'))"
)


@pytest.mark.points(10)
def test_connected_from_the_settings(learner):
    """The factory connects MongoEngine with MONGODB_SETTINGS and registers the extension"""
    assert learner.eval("'mongoengine' in app.extensions"), (
        "init_app should register the extension in app.extensions"
    )
    name, address = learner.eval(DATABASE)
    assert name == "bookmarks", "The default database is bookmarks"
    assert address == ["localhost", 27017], "The default server is localhost:27017"


@pytest.mark.learner_env(MONGODB_URI="mongodb://db.internal:27017/grading")
@pytest.mark.points(15)
def test_settings_follow_the_environment(learner, client):
    """MONGODB_URI from the environment chooses the server and the database"""
    name, address = learner.eval(DATABASE)
    assert address == ["db.internal", 27017], (
        "Connect in init_app with the app's settings, not with values fixed at import time"
    )
    assert name == "grading", "The database named in the URI should be the one in use"
    created = client.post(
        "/bookmarks", json={"url": "https://flask.palletsprojects.com/", "title": "Flask"}
    )
    assert created.status_code == 201, "POST /bookmarks should create a bookmark"
    stored = learner.eval("__import__('mongoengine').get_db()['bookmark'].count_documents({})")
    assert stored == 1, "The document should land in the bookmark collection of that database"
