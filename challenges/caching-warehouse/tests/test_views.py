"""Hidden tests: the product list is a cached view."""

from __future__ import annotations

import pytest

BACKENDS = "[type(b).__name__ for b in app.extensions.get('cache', {}).values()]"
# seconds left before each cached entry expires, by kind: view entries start with "view/"
EXPIRIES = (
    "[[k.startswith('view/'), round(v[0] - __import__('time').time())]"
    " for b in app.extensions.get('cache', {}).values() for k, v in getattr(b, '_cache', {}).items()]"
)

BREAD = [{"sku": "baguette", "name": "Baguette", "category": "bread"},
         {"sku": "rye", "name": "Rye loaf", "category": "bread"}]
PASTRY = [{"sku": "croissant", "name": "Croissant", "category": "pastry"},
          {"sku": "eclair", "name": "Eclair", "category": "pastry"}]


@pytest.mark.points(10)
def test_simple_cache_backend(learner):
    """The app caches in memory with SimpleCache"""
    assert learner.eval(BACKENDS) == ["SimpleCache"], (
        "Bind one Cache to the app, with a CACHE_TYPE that really stores values in memory"
    )


@pytest.mark.points(15)
def test_product_list_is_cached(client, calls):
    """A second request for the product list is answered from the cache"""
    first = client.get("/products")
    assert first.status_code == 200, "GET /products should answer 200"
    every = sorted(BREAD + PASTRY, key=lambda product: product["sku"])
    assert first.get_json() == {"category": None, "products": every}, (
        "Without a category, list every product"
    )
    second = client.get("/products")
    assert second.get_json() == first.get_json(), "The cached answer should be the same"
    assert calls("list_products") == 1, (
        "The warehouse was asked twice: is the function the route registered the cached one?"
    )


@pytest.mark.points(15)
def test_query_string_is_part_of_the_key(client, calls):
    """Each category is cached apart"""
    assert client.get("/products?category=bread").get_json() == {"category": "bread",
                                                                 "products": BREAD}, (
        "?category=bread lists the bread"
    )
    pastry = client.get("/products?category=pastry").get_json()
    assert pastry == {"category": "pastry", "products": PASTRY}, (
        "?category=pastry got another category's answer: does the cache key see the query string?"
    )
    assert client.get("/products?category=bread").get_json()["products"] == BREAD, (
        "The bread list should still come back for ?category=bread"
    )
    assert calls("list_products") == 2, "Two categories, two warehouse calls; the third is a hit"


@pytest.mark.points(10)
def test_entries_expire_on_time(client, learner):
    """The product list is kept ten minutes, a price one minute"""
    client.get("/products?category=bread")
    client.get("/products/rye/price")
    found = learner.eval(EXPIRIES)
    views = [left for is_view, left in found if is_view]
    others = [left for is_view, left in found if not is_view]
    assert views and all(590 <= left <= 600 for left in views), (
        "Cache the product list for 10 minutes: timeouts are in seconds"
    )
    assert others and all(50 <= left <= 60 for left in others), (
        "Remember prices for one minute"
    )
