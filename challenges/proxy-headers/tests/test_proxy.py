"""Hidden tests: X-Forwarded-* headers through ProxyFix."""

from __future__ import annotations

import pytest

PROXY = {
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "shop.example.com",
    "X-Forwarded-Prefix": "/store",
}


def via_proxy(**changes: str) -> dict[str, str]:
    return {**PROXY, **changes}


@pytest.mark.points(15)
def test_whoami_behind_proxy(client):
    """Behind the proxy the app sees the visitor's scheme, host and address"""
    body = client.get("/whoami", headers=PROXY).get_json()
    assert body["ip"] == "203.0.113.9", "request.remote_addr should be the visitor, not the proxy"
    assert body["scheme"] == "https" and body["secure"] is True, "The visitor used HTTPS"
    assert body["host"] == "shop.example.com", "The visitor asked for shop.example.com"
    assert body["url"] == "https://shop.example.com/store/whoami", "The app is mounted under /store"


@pytest.mark.points(15)
def test_external_links(client):
    """url_for builds public URLs with scheme, host and prefix"""
    assert client.get("/links", headers=PROXY).get_json() == {
        "self": "https://shop.example.com/store/links",
        "home": "/store/",
    }, "Links must point at the public address, including the /store prefix"


@pytest.mark.points(10)
def test_redirect_keeps_prefix(client):
    """Redirects stay under the prefix"""
    r = client.get("/old-home", headers=PROXY)
    assert r.status_code == 301, "Keep the permanent redirect"
    assert r.headers.get("Location") in ("/store/", "https://shop.example.com/store/"), (
        "The redirect lost the /store prefix"
    )


@pytest.mark.points(20)
def test_spoofed_address_is_ignored(client):
    """A client cannot choose its own address by sending X-Forwarded-For"""
    spoofed = via_proxy(**{"X-Forwarded-For": "10.0.0.5, 198.51.100.4"})
    assert client.get("/whoami", headers=spoofed).get_json()["ip"] == "198.51.100.4", (
        "Only the address written by your own proxy (the last one) can be trusted"
    )
    assert client.get("/admin", headers=spoofed).status_code == 403, (
        "A faked internal address must not open the admin page"
    )


@pytest.mark.points(10)
def test_internal_address_allowed(client):
    """A visitor on the internal network reaches /admin"""
    r = client.get("/admin", headers=via_proxy(**{"X-Forwarded-For": "10.20.30.40"}))
    assert r.status_code == 200, "Internal addresses may see the admin page"


@pytest.mark.points(10)
@pytest.mark.parametrize("proto, secure", [("https", True), ("http", False)])
def test_scheme_follows_proxy(client, proto, secure):
    """The scheme follows X-Forwarded-Proto"""
    body = client.get("/whoami", headers=via_proxy(**{"X-Forwarded-Proto": proto})).get_json()
    assert body["scheme"] == proto and body["secure"] is secure, "Trust the proxy's scheme header"


@pytest.mark.points(10)
def test_direct_request_unchanged(client):
    """A request without proxy headers keeps the connection's values"""
    body = client.get("/whoami").get_json()
    assert body["scheme"] == "http" and body["secure"] is False, "No proxy header: plain HTTP"
    assert body["url"] == "http://localhost/whoami", "No prefix without X-Forwarded-Prefix"
    assert client.get("/links").get_json()["home"] == "/", "Without a prefix, home is /"


@pytest.mark.points(5)
def test_app_is_flask(learner):
    """The app object is still a Flask app"""
    assert learner.eval("type(app).__name__") == "Flask", "Wrap app.wsgi_app, not the app"
