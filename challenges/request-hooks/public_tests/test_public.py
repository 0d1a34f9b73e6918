"""Public checks for the request hooks: run them while you work."""

from __future__ import annotations


def test_whoami_has_a_request_id(client):
    """/whoami shows an id for the request"""
    body = client.get("/whoami").get_json()
    assert body["request_id"], "Give every request an id in a before_request hook"


def test_admin_needs_a_key(client):
    """/admin/stats needs the API key"""
    assert client.get("/admin/stats").status_code == 401
    assert client.get("/admin/stats", headers={"X-Api-Key": "dev-key"}).status_code == 200
