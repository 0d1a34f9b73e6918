"""Hidden tests: version headers, deprecation, and unversioned URLs chosen by header."""

from __future__ import annotations

import pytest

TEAPOT_V1 = {"id": 1, "name": "Teapot", "price": 25.0}
TEAPOT_V2 = {"id": 1, "name": "Teapot", "price": {"amount": 2500, "currency": "EUR"}}


@pytest.mark.points(13)
def test_version_1_announces_its_end(client):
    """Version 1 answers say which version they are, that it is deprecated, and its successor"""
    r = client.get("/api/v1/products/1")
    assert r.headers.get("API-Version") == "1", "Say which version answered"
    assert r.headers.get("Deprecation") == "@1767225600", "Mark v1 deprecated since 2026-01-01"
    assert r.headers.get("Sunset") == "Wed, 30 Jun 2027 23:59:59 GMT", "Announce when v1 goes away"
    assert r.headers.get("Link") == '</api/v2/products/1>; rel="successor-version"', (
        "Point at the same resource in v2"
    )
    listing = client.get("/api/v1/products")
    assert listing.headers.get("Link") == '</api/v2/products>; rel="successor-version"', (
        "Every v1 answer points at its v2 counterpart"
    )
    current = client.get("/api/v2/products/1")
    assert current.headers.get("API-Version") == "2", "v2 says it is v2"
    assert "Deprecation" not in current.headers and "Sunset" not in current.headers, (
        "v2 is not deprecated"
    )


@pytest.mark.points(15)
def test_header_chooses_the_version(client):
    """On /api/..., the API-Version header chooses the version; without it, version 1"""
    plain = client.get("/api/products/1")
    assert plain.status_code == 200, "Serve the unversioned URLs too"
    assert plain.get_json() == TEAPOT_V1, (
        "Clients that never sent the header were written for v1: keep giving them v1"
    )
    assert plain.headers.get("API-Version") == "1", "Say which version answered"
    assert plain.headers.get("Deprecation") == "@1767225600", "A v1 answer is deprecated here too"
    chosen = client.get("/api/products/1", headers={"API-Version": "2"})
    assert chosen.get_json() == TEAPOT_V2, "API-Version: 2 gets the v2 shape"
    assert chosen.headers.get("API-Version") == "2", "Say which version answered"
    listing = client.get("/api/products", headers={"API-Version": "2"}).get_json()
    assert listing.get("count") == 2, "The list follows the header too"


@pytest.mark.points(8)
def test_negotiated_answers_vary(client):
    """Answers chosen by header tell caches that they vary with it"""
    for version in (None, "1", "2"):
        headers = {"API-Version": version} if version else {}
        vary = client.get("/api/products/1", headers=headers).headers.get("Vary", "")
        assert "api-version" in [v.strip().lower() for v in vary.split(",")], (
            "A cache must not hand a v2 answer to a v1 client: which header says so?"
        )


@pytest.mark.points(6)
def test_create_through_the_header(client):
    """POST /api/products creates in the version the header asks for"""
    r = client.post("/api/products", headers={"API-Version": "2"},
                    json={"name": "Spoon", "price": {"amount": 350, "currency": "EUR"}})
    assert r.status_code == 201, "Create with v2 rules through the unversioned URL"
    assert r.get_json()["price"] == {"amount": 350, "currency": "EUR"}, "Answer in v2"
    old = client.post("/api/products", json={"name": "Fork", "price": 4.2})
    assert (old.status_code, old.get_json()) == (201, {"id": 4, "name": "Fork", "price": 4.2}), (
        "Without the header, v1 rules and shape"
    )


@pytest.mark.points(6)
def test_unknown_version_is_refused(client):
    """An unknown API-Version is refused with 400"""
    for version in ("3", "v2", "latest"):
        r = client.post("/api/products", headers={"API-Version": version},
                        json={"name": "Spoon", "price": 3.5})
        assert r.status_code == 400, "Do not guess a version the client did not ask for"
        assert r.get_json() == {
            "error": f"unsupported API version: {version}", "supported": ["1", "2"],
        }, "Say which versions exist"
    assert len(client.get("/api/v1/products").get_json()) == 2, "Nothing is created"
