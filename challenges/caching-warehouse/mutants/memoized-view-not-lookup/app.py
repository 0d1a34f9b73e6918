"""The bakery's catalogue in front of a slow warehouse, with Flask-Caching."""

from __future__ import annotations

from flask import Flask, jsonify, request
from flask_caching import Cache

import warehouse

cache = Cache()


def price_of(sku: str) -> float | None:
    """The price of a product, remembered per sku for a minute; None for an unknown sku."""
    try:
        return warehouse.get_price(sku)
    except KeyError:
        return None


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(CACHE_TYPE="SimpleCache", CACHE_DEFAULT_TIMEOUT=300)
    cache.init_app(app)

    # the route decorator comes first: it must register the cached function
    @app.get("/products")
    @cache.cached(timeout=600, query_string=True)
    def products():
        category = request.args.get("category")
        return jsonify(category=category, products=warehouse.list_products(category))

    @app.get("/products/<sku>/price")
    @cache.memoize(timeout=60)
    def price(sku: str):
        value = price_of(sku)
        if value is None:
            return jsonify(error=f"no product {sku}"), 404
        return jsonify(sku=sku, price=value)

    @app.get("/basket")
    def basket():
        items = []
        for sku in request.args.getlist("sku"):
            value = price_of(sku)
            if value is None:
                return jsonify(error=f"no product {sku}"), 404
            items.append({"sku": sku, "price": value})
        return jsonify(items=items, total=round(sum(i["price"] for i in items), 2))

    @app.put("/products/<sku>/price")
    def change_price(sku: str):
        value = (request.get_json(silent=True) or {}).get("price")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            return jsonify(error="price must be a positive number"), 400
        try:
            warehouse.set_price(sku, value)
        except KeyError:
            return jsonify(error=f"no product {sku}"), 404
        # forget this sku's remembered price only; the others are still right
        cache.delete_memoized(price, sku)
        return jsonify(sku=sku, price=value)

    return app
