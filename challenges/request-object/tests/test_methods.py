"""Hidden tests: a notebook with one URL per resource and a method per action."""

from __future__ import annotations

import pytest


def add(client, text: str):
    return client.post("/notes", data=text, content_type="text/plain")


@pytest.mark.points(10)
def test_create_and_list(client):
    """Notes are created with POST and listed with GET"""
    assert client.get("/notes").get_json() == {"notes": []}, "A new notebook is empty"
    r = add(client, "  buy milk \n")
    assert r.status_code == 201, "Creating something answers 201 Created"
    assert r.get_json() == {"id": 1, "text": "buy milk"}, "The note's text is the stripped body"
    add(client, "call Ann")
    assert client.get("/notes").get_json() == {
        "notes": [{"id": 1, "text": "buy milk"}, {"id": 2, "text": "call Ann"}]
    }, "GET /notes lists every note in order"


@pytest.mark.points(10)
def test_blank_note_refused(client):
    """A blank note is refused"""
    for body in ["", "   ", "\n"]:
        r = add(client, body)
        assert r.status_code == 400, "A note without text is a bad request"
        assert "error" in (r.get_json(silent=True) or {}), "Explain the problem in an 'error' field"
    assert client.get("/notes").get_json() == {"notes": []}, "A refused note must not be stored"


@pytest.mark.points(10)
def test_read_and_replace(client):
    """A note is read with GET and replaced with PUT"""
    add(client, "buy milk")
    assert client.get("/notes/1").get_json() == {"id": 1, "text": "buy milk"}, "GET reads one note"
    r = client.put("/notes/1", data="buy oat milk", content_type="text/plain")
    assert r.status_code == 200, "PUT on an existing note should succeed"
    assert r.get_json() == {"id": 1, "text": "buy oat milk"}, "PUT answers with the new note"
    assert client.get("/notes/1").get_json()["text"] == "buy oat milk", "The change should last"
    r = client.put("/notes/1", data=" ", content_type="text/plain")
    assert r.status_code == 400, "A note cannot be replaced by blank text"


@pytest.mark.points(12)
def test_delete(client):
    """A note is removed with DELETE"""
    add(client, "buy milk")
    add(client, "call Ann")
    r = client.delete("/notes/1")
    assert r.status_code == 204, "A successful DELETE has nothing to say: 204 No Content"
    assert r.data == b"", "A 204 answer has no body"
    assert client.get("/notes/1").status_code == 404, "A deleted note is gone"
    assert client.get("/notes").get_json() == {"notes": [{"id": 2, "text": "call Ann"}]}, (
        "Only the deleted note should disappear"
    )


@pytest.mark.points(10)
def test_unknown_note(client):
    """Unknown note ids are Not Found"""
    for method in ["GET", "PUT", "DELETE"]:
        r = client.open("/notes/7", method=method, data="x", content_type="text/plain")
        assert r.status_code == 404, "There is no note 7"


@pytest.mark.points(12)
def test_other_methods_not_allowed(client):
    """Methods a URL does not support are refused with 405"""
    add(client, "buy milk")
    for method, path in [
        ("PATCH", "/notes/1"),
        ("DELETE", "/notes"),
        ("PUT", "/notes"),
        ("POST", "/notes/1"),
    ]:
        r = client.open(path, method=method, data="x", content_type="text/plain")
        assert r.status_code == 405, "Declare exactly the methods each URL supports"
        assert r.headers.get("Allow"), "A 405 answer names the allowed methods"
