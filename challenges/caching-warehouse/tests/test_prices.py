"""Hidden tests: prices are memoized per product, shared by every view, and forgotten on change."""

from __future__ import annotations

import pytest


@pytest.mark.points(15)
def test_price_is_memoized_across_views(client, calls):
    """A remembered price serves the price page and the basket alike"""
    assert client.get("/products/baguette/price").get_json() == {"sku": "baguette", "price": 1.2}, (
        "GET /products/<sku>/price answers the sku and its price"
    )
    client.get("/products/baguette/price")
    assert calls("get_price") == 1, "Memoize the price lookup so the second request is a hit"
    r = client.get("/basket?sku=baguette&sku=croissant&sku=baguette")
    assert r.status_code == 200, "GET /basket should answer 200 for known products"
    assert r.get_json() == {"items": [{"sku": "baguette", "price": 1.2},
                                      {"sku": "croissant", "price": 1.1},
                                      {"sku": "baguette", "price": 1.2}], "total": 3.5}, (
        "The basket lists each sku with its price, in order, and the total rounded to cents"
    )
    assert calls("get_price") == 2, (
        "The basket should reuse the remembered baguette price: memoize the function both views call"
    )


@pytest.mark.points(15)
def test_changed_price_is_served_at_once(client, calls):
    """After a price change, every view shows the new price"""
    client.get("/products/baguette/price")
    client.get("/basket?sku=baguette")
    r = client.put("/products/baguette/price", json={"price": 1.5})
    assert r.status_code == 200 and r.get_json() == {"sku": "baguette", "price": 1.5}, (
        "PUT /products/<sku>/price answers the new price"
    )
    assert calls("set_price") == 1, "Change the price in the warehouse"
    assert client.get("/products/baguette/price").get_json()["price"] == 1.5, (
        "The old price is still served: forget the remembered value when it changes"
    )
    assert client.get("/basket?sku=baguette").get_json()["total"] == 1.5, (
        "The basket should show the new price too"
    )


@pytest.mark.points(10)
def test_only_the_changed_price_is_forgotten(client, calls):
    """A price change forgets that product's price and keeps the others"""
    client.get("/products/baguette/price")
    client.get("/products/croissant/price")
    client.put("/products/baguette/price", json={"price": 1.5})
    assert client.get("/products/croissant/price").get_json()["price"] == 1.1, (
        "The croissant price did not change"
    )
    assert calls("get_price") == 2, (
        "The croissant price was fetched again: forget only the memoized value of the changed sku"
    )
    client.get("/products/baguette/price")
    assert calls("get_price") == 3, "The changed price is fetched once more"


@pytest.mark.points(10)
def test_bad_requests(client, calls):
    """Unknown products are 404, bad prices 400, and nothing changes"""
    assert client.get("/products/brioche/price").status_code == 404, "An unknown sku is 404"
    assert client.get("/basket?sku=baguette&sku=brioche").status_code == 404, (
        "A basket with an unknown sku is 404"
    )
    for label, body in [("a price of 0", {"price": 0}), ("a negative price", {"price": -1}),
                        ("a price in a string", {"price": "1.5"}), ("a boolean", {"price": True}),
                        ("no price", {})]:
        r = client.put("/products/baguette/price", json=body)
        assert r.status_code == 400, f"Refuse {label} with 400"
    assert calls("set_price") == 0, "A refused change must not reach the warehouse"
    assert client.put("/products/brioche/price", json={"price": 2}).status_code == 404, (
        "The price of an unknown product cannot be changed"
    )
    assert client.get("/products/baguette/price").get_json()["price"] == 1.2, "The price is unchanged"
