"""Public checks for the proxy setup: run them while you work."""

from __future__ import annotations

PROXY = {
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "shop.example.com",
    "X-Forwarded-Prefix": "/store",
}


def test_real_client_address(client):
    """The visitor's address comes from the proxy header"""
    assert client.get("/whoami", headers=PROXY).get_json()["ip"] == "203.0.113.9"


def test_direct_request(client):
    """Without proxy headers, the direct connection is used"""
    body = client.get("/whoami").get_json()
    assert body["scheme"] == "http" and body["secure"] is False
