"""Public checks for the cached catalogue: run them with `grader test` while you work."""

from __future__ import annotations

CALLS = "dict(__import__('warehouse').CALLS)"


def test_product_list_is_cached(client, learner):
    """Asking twice for the product list asks the warehouse once"""
    first = client.get("/products")
    assert first.status_code == 200
    assert client.get("/products").get_json() == first.get_json()
    assert learner.eval(CALLS).get("list_products") == 1, "The second answer should come from the cache"


def test_prices_are_memoized(client, learner):
    """Asking twice for a price asks the warehouse once"""
    assert client.get("/products/rye/price").get_json() == {"sku": "rye", "price": 3.5}
    client.get("/products/rye/price")
    assert learner.eval(CALLS).get("get_price") == 1, "Remember the price with cache.memoize"
