"""The bakery's warehouse system. In production every call takes about two seconds.

This module is given: you do not submit it. `CALLS` counts how many times each lookup really
ran, which is how the tests tell a cache hit from a miss.
"""

from __future__ import annotations

from collections import Counter

CALLS: Counter[str] = Counter()

PRODUCTS = {
    "baguette": {"name": "Baguette", "category": "bread", "price": 1.2},
    "rye": {"name": "Rye loaf", "category": "bread", "price": 3.5},
    "croissant": {"name": "Croissant", "category": "pastry", "price": 1.1},
    "eclair": {"name": "Eclair", "category": "pastry", "price": 2.4},
}


def list_products(category: str | None = None) -> list[dict]:
    """The products, sorted by sku, only those of `category` when one is given."""
    CALLS["list_products"] += 1
    return [{"sku": sku, "name": p["name"], "category": p["category"]}
            for sku, p in sorted(PRODUCTS.items()) if category in (None, p["category"])]


def get_price(sku: str) -> float:
    """The current price of one product; KeyError for an unknown sku."""
    CALLS["get_price"] += 1
    return PRODUCTS[sku]["price"]


def set_price(sku: str, price: float) -> None:
    """Change the price of one product; KeyError for an unknown sku."""
    CALLS["set_price"] += 1
    PRODUCTS[sku]["price"] = price
