"""Public checks for the middleware: run them while you work."""

from __future__ import annotations


def test_server_timing_header(client):
    """Responses carry a Server-Timing header"""
    r = client.get("/health")
    assert r.status_code == 200
    assert (r.headers.get("Server-Timing") or "").startswith("app;dur=")


def test_post_can_delete(client):
    """A POST with X-HTTP-Method-Override: DELETE deletes"""
    r = client.post("/items/1", headers={"X-HTTP-Method-Override": "DELETE"})
    assert r.get_json() == {"deleted": 1, "method": "DELETE"}
