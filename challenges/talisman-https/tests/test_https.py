"""Hidden tests: HTTPS only, through the proxy, with secure cookies."""

from __future__ import annotations

import pytest

VIA_HTTPS = {
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "shop.example.com",
}
VIA_HTTP = {**VIA_HTTPS, "X-Forwarded-Proto": "http"}


@pytest.mark.points(10)
@pytest.mark.parametrize("path", ["/", "/products?page=2"])
def test_http_redirects_to_the_public_https_url(client, path):
    """Plain HTTP is redirected permanently to the same public URL over HTTPS"""
    r = client.get(path, headers=VIA_HTTP)
    assert r.status_code == 301, "Every page is HTTPS only, with a permanent redirect"
    assert r.headers.get("Location") == f"https://shop.example.com{path}", (
        "Redirect to the host the visitor asked for, same path and query: does Flask see it?"
    )
    assert "Strict-Transport-Security" not in r.headers, "HSTS is only ever sent over HTTPS"


@pytest.mark.points(10)
def test_https_is_served_with_hsts(client):
    """HTTPS requests are served with a preload-ready HSTS header"""
    r = client.get("/products", headers=VIA_HTTPS)
    assert r.status_code == 200, "A request that came over HTTPS must not be redirected again"
    assert r.headers.get("Strict-Transport-Security") == (
        "max-age=63072000; includeSubDomains; preload"
    ), "HSTS for two years, subdomains included, ready for the preload list"


@pytest.mark.points(15)
def test_session_cookie_is_secure(client):
    """The session cookie is Secure, HttpOnly and SameSite=Lax"""
    r = client.post("/login", json={"user": "ann"}, headers=VIA_HTTPS)
    assert r.status_code == 200, "Logging in over HTTPS works"
    cookie = next((c for c in r.headers.getlist("Set-Cookie") if c.startswith("session=")), "")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert "secure" in flags, "The session cookie must never travel over plain HTTP"
    assert "httponly" in flags, "Scripts must not read the session cookie"
    assert "samesite=lax" in flags, "Send the session cookie with SameSite=Lax"
    assert client.get("/account", headers=VIA_HTTPS).get_json() == {"user": "ann"}, (
        "The session still works over HTTPS"
    )


@pytest.mark.points(10)
def test_external_links_use_https(client):
    """url_for(_external=True) builds the public HTTPS URL"""
    assert client.get("/links", headers=VIA_HTTPS).get_json() == {
        "products": "https://shop.example.com/products"
    }, "External links should use the visitor's scheme and host, as the proxy reports them"


@pytest.mark.points(10)
def test_health_check_over_plain_http(client):
    """The health check answers over plain HTTP, without the proxy"""
    r = client.get("/healthz")
    assert r.status_code == 200, "The load balancer probes /healthz over HTTP: do not redirect it"
    assert r.get_json() == {"status": "ok"}, "Answer the health check"
    assert client.get("/products").status_code == 301, "Only the health check is exempt"
