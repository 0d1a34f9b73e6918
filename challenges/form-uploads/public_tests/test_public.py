"""Public tests: run them with `grader test`."""

from __future__ import annotations


def test_form_can_send_files(client):
    """The upload form can send files"""
    r = client.get("/upload")
    assert r.status_code == 200
    assert 'enctype="multipart/form-data"' in r.text


def test_upload_a_text_file(client):
    """A valid upload redirects to the list, which shows it"""
    r = client.post("/upload", data={"title": "Notes", "document": (b"hello\n", "notes.txt")})
    assert r.status_code == 303
    assert client.get("/uploads").get_json() == {
        "files": [{"name": "notes.txt", "title": "Notes", "tags": [], "size": 6}]
    }
