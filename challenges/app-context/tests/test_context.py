"""Hidden tests: g, current_app and teardown_appcontext."""

from __future__ import annotations

import pytest


@pytest.mark.points(20)
def test_one_store_per_request(client):
    """Each request opens exactly one store, shared by all helpers"""
    client.get("/notes")
    stats = client.get("/stats").get_json()
    assert stats["opened"] == 1, "get_store() should reuse the store saved on g during a request"
    client.post("/notes", json={"text": "one"})
    client.post("/notes", json={"text": "two"})
    assert client.get("/stats").get_json()["opened"] == 3, "A new request needs a new store"


@pytest.mark.points(20)
def test_stores_are_closed_after_each_request(client):
    """The store is closed when the request ends"""
    client.get("/notes")
    client.post("/notes", json={"text": "hello"})
    assert client.get("/stats").get_json() == {"opened": 2, "closed": 2}, (
        "Close the store when the app context ends"
    )


@pytest.mark.points(10)
def test_notes_are_kept(client):
    """Notes are saved and listed"""
    client.post("/notes", json={"text": "first"})
    r = client.post("/notes", json={"text": "second"})
    assert r.status_code == 201, "Adding a note should still work"
    assert client.get("/notes").get_json() == {"notes": ["first", "second"], "count": 2}, (
        "Every note added should be listed, in order"
    )
    assert client.post("/notes", json={"text": "  "}).status_code == 400, "Blank notes are refused"


@pytest.mark.points(15)
def test_summary_without_request(client, learner):
    """notes_summary() works in an app context without any request"""
    client.post("/notes", json={"text": "first"})
    assert learner.call("app:notes_summary") == {"app": "notes", "notes": 1}, (
        "Use current_app and the store, not request"
    )


@pytest.mark.learner_env(APP_NAME="memo")
@pytest.mark.points(10)
def test_summary_reads_current_config(learner):
    """notes_summary() reads the name from the app's configuration"""
    assert learner.call("app:notes_summary") == {"app": "memo", "notes": 0}, (
        "Read APP_NAME from the configuration of the current app"
    )


@pytest.mark.points(25)
def test_export_notes_from_a_script(client, learner):
    """export_notes() pushes its own app context and closes its store"""
    client.post("/notes", json={"text": "from the web"})
    assert learner.call("app:export_notes") == ["from the web"], (
        "export_notes() should return every note"
    )
    counters = learner.call("store:counters")
    assert counters["opened"] == counters["closed"], (
        "A store opened outside a request was left open: which teardown runs when an app context ends?"
    )
