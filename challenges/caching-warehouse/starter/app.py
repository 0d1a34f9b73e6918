"""The bakery's catalogue in front of a slow warehouse, with Flask-Caching."""

from __future__ import annotations

from flask import Flask, jsonify, request
from flask_caching import Cache

import warehouse


def price_of(sku: str) -> float | None:
    """The price of a product; None for an unknown sku."""
    try:
        return warehouse.get_price(sku)
    except KeyError:
        return None


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/products")
    def products():
        category = request.args.get("category")
        return jsonify(category=category, products=warehouse.list_products(category))

    @app.get("/products/<sku>/price")
    def price(sku: str):
        value = price_of(sku)
        if value is None:
            return jsonify(error=f"no product {sku}"), 404
        return jsonify(sku=sku, price=value)

    @app.get("/basket")
    def basket():
        return jsonify(error="not implemented yet"), 501

    @app.put("/products/<sku>/price")
    def change_price(sku: str):
        return jsonify(error="not implemented yet"), 501

    return app
