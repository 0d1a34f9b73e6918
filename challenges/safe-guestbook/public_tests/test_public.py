"""Public checks for the guestbook: run them while you work."""

from __future__ import annotations


def test_sign_and_read(client):
    """A valid entry is stored and shown"""
    r = client.post("/entries", data={"name": "Ann", "message": "Lovely site", "website": ""})
    assert r.status_code == 303
    assert "Lovely site" in client.get("/").text


def test_script_in_message_is_escaped(client):
    """A script tag in a message is shown as text"""
    client.post("/entries", data={"name": "Eve", "message": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in client.get("/").text
