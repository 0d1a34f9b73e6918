"""Public checks for the HTTPS shop: run them while you work."""

from __future__ import annotations

# What the proxy in front of the app adds to every request it forwards
VIA_HTTPS = {
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "shop.example.com",
}


def test_plain_http_is_redirected(client):
    """A request that reached the proxy over HTTP is sent to HTTPS"""
    r = client.get("/products", headers={**VIA_HTTPS, "X-Forwarded-Proto": "http"})
    assert r.status_code == 301, "Redirect permanently to HTTPS"
    assert r.headers["Location"] == "https://shop.example.com/products"


def test_https_answers_with_hsts(client):
    """An HTTPS request is served, with Strict-Transport-Security"""
    r = client.get("/products", headers=VIA_HTTPS)
    assert r.status_code == 200
    assert r.headers.get("Strict-Transport-Security", "").startswith("max-age=")
