"""Public checks for the session cart: run them while you work."""

from __future__ import annotations


def test_new_visitor_has_an_empty_cart(client):
    """A new visitor has an empty cart"""
    r = client.get("/cart")
    assert r.status_code == 200
    assert r.get_json() == {"cart": {}, "count": 0}


def test_adding_an_item_is_remembered(client):
    """An added item is still in the cart on the next request"""
    r = client.post("/cart/items", json={"sku": "apple", "qty": 2})
    assert r.status_code == 201, "Adding to the cart should answer 201 Created"
    assert client.get("/cart").get_json() == {"cart": {"apple": 2}, "count": 2}
