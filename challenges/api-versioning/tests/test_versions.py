"""Hidden tests: both versions under their URLs, over one store."""

from __future__ import annotations

import pytest

TEAPOT_V1 = {"id": 1, "name": "Teapot", "price": 25.0}
MUG_V1 = {"id": 2, "name": "Mug", "price": 8.5}
TEAPOT_V2 = {"id": 1, "name": "Teapot", "price": {"amount": 2500, "currency": "EUR"}}
MUG_V2 = {"id": 2, "name": "Mug", "price": {"amount": 850, "currency": "EUR"}}


@pytest.mark.points(15)
def test_version_1_keeps_its_contract(client):
    """Version 1 answers exactly as it always did"""
    assert client.get("/api/v1/products").get_json() == [TEAPOT_V1, MUG_V1], (
        "Old clients read a plain list with prices in euros: do not change v1"
    )
    assert client.get("/api/v1/products/1").get_json() == TEAPOT_V1, "One product, v1 shape"
    missing = client.get("/api/v1/products/9")
    assert (missing.status_code, missing.get_json()) == (404, {"error": "no product 9"}), (
        "v1 errors keep their shape too"
    )
    r = client.post("/api/v1/products", json={"name": "Spoon", "price": 3.5})
    assert r.status_code == 201 and r.get_json() == {"id": 3, "name": "Spoon", "price": 3.5}, (
        "Old clients can still create products the old way"
    )
    assert r.headers.get("Location", "").endswith("/api/v1/products/3"), "v1 links stay in v1"
    assert client.post("/api/v1/products", json={"name": "Fork", "price": "4"}).status_code == 400, (
        "v1 still validates its input"
    )


@pytest.mark.points(12)
def test_version_2_shapes(client):
    """Version 2 answers its new shapes"""
    r = client.get("/api/v2/products")
    assert r.status_code == 200, "Serve version 2 under /api/v2"
    assert r.get_json() == {"items": [TEAPOT_V2, MUG_V2], "count": 2}, (
        "v2 lists are objects with items and count"
    )
    assert client.get("/api/v2/products/2").get_json() == MUG_V2, "Prices are objects in cents"
    missing = client.get("/api/v2/products/9")
    assert missing.status_code == 404, "Unknown products are a 404 in v2 too"
    assert missing.get_json() == {"error": {"code": "not_found", "message": "no product 9"}}, (
        "v2 errors are objects with a code and a message"
    )


@pytest.mark.points(10)
def test_version_2_validates_prices(client):
    """Version 2 refuses prices that are not positive cents in EUR"""
    for price in (3.5, {"amount": 350}, {"amount": 350, "currency": "USD"},
                  {"amount": 3.5, "currency": "EUR"}, {"amount": 0, "currency": "EUR"}):
        r = client.post("/api/v2/products", json={"name": "Spoon", "price": price})
        assert r.status_code == 400, "A v2 price is {'amount': <positive cents>, 'currency': 'EUR'}"
        assert (r.get_json(silent=True) or {}).get("error", {}).get("code") == "invalid", (
            "v2 errors are objects with a code"
        )
    assert client.get("/api/v2/products").get_json()["count"] == 2, "Nothing is stored"


@pytest.mark.points(15)
def test_versions_share_the_data(client):
    """Both versions show the same products"""
    r = client.post("/api/v2/products", json={"name": "Spoon",
                                              "price": {"amount": 350, "currency": "EUR"}})
    assert r.status_code == 201, "v2 creates products"
    assert r.get_json() == {"id": 3, "name": "Spoon", "price": {"amount": 350, "currency": "EUR"}}, (
        "Answer the new product in the v2 shape"
    )
    assert r.headers.get("Location", "").endswith("/api/v2/products/3"), "v2 links stay in v2"
    assert client.get("/api/v1/products/3").get_json() == {"id": 3, "name": "Spoon", "price": 3.5}, (
        "A product created through v2 is visible through v1: one store, two views of it"
    )
    client.post("/api/v1/products", json={"name": "Fork", "price": 4.2})
    assert client.get("/api/v2/products/4").get_json()["price"] == {"amount": 420, "currency": "EUR"}, (
        "And the other way round"
    )
