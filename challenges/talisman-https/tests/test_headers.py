"""Hidden tests: the security headers Flask-Talisman sets."""

from __future__ import annotations

import re

import pytest

VIA_HTTPS = {
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "shop.example.com",
}


def policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.points(20)
def test_content_security_policy_with_nonce(client):
    """The page's inline script runs thanks to a per-request nonce"""
    r = client.get("/", headers=VIA_HTTPS)
    assert r.status_code == 200, "The home page is served over HTTPS"
    csp = policy(r.headers.get("Content-Security-Policy", ""))
    assert csp.get("default-src") == ["'self'"], "By default, only the site's own origin"
    assert csp.get("img-src") == ["'self'", "https://images.example.com"], (
        "Images may also come from the image host"
    )
    assert "'unsafe-inline'" not in r.headers.get("Content-Security-Policy", ""), (
        "'unsafe-inline' lets any injected script run: use a nonce"
    )
    script = csp.get("script-src", [])
    nonces = [s for s in script if s.startswith("'nonce-")]
    assert [s for s in script if s not in nonces] == ["'self'"] and len(nonces) == 1, (
        "Scripts from the site itself, plus one nonce"
    )
    in_page = re.findall(r'<script[^>]*\snonce="([^"]+)"', r.text)
    assert in_page == [nonces[0][len("'nonce-"):-1]], (
        "Give the inline script the nonce of this response"
    )
    again = policy(client.get("/", headers=VIA_HTTPS).headers.get("Content-Security-Policy", ""))
    assert again.get("script-src") != script, "A nonce is new for every response"


@pytest.mark.points(15)
def test_other_security_headers(client):
    """Framing, sniffing and referrers are locked down"""
    r = client.get("/products", headers=VIA_HTTPS)
    assert r.headers.get("X-Frame-Options") == "DENY", "No site may frame the shop, not even itself"
    assert r.headers.get("X-Content-Type-Options") == "nosniff", "Browsers must not sniff types"
    assert r.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", (
        "Send only the origin to other sites"
    )
