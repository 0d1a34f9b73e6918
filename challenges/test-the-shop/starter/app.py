"""A small shop API. It works: your job is to write the tests that prove it."""

from __future__ import annotations

from flask import Flask, jsonify, request

import rates

PRODUCTS = {
    1: {"id": 1, "name": "Teapot", "price": 25.0},
    2: {"id": 2, "name": "Mug", "price": 8.5},
}


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(MAX_QUANTITY=10, RATES_URL="http://127.0.0.1:9/latest")
    if test_config:
        app.config.update(test_config)

    @app.get("/products/<int:product_id>")
    def product(product_id: int):
        if product_id not in PRODUCTS:
            return jsonify(error="no such product"), 404
        return jsonify(PRODUCTS[product_id])

    @app.post("/orders")
    def order():
        data = request.get_json(silent=True) or {}
        product_id, quantity = data.get("product_id"), data.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            return jsonify(error="quantity must be a whole number"), 400
        if not 1 <= quantity <= app.config["MAX_QUANTITY"]:
            return jsonify(error=f"quantity must be from 1 to {app.config['MAX_QUANTITY']}"), 400
        if product_id not in PRODUCTS:
            return jsonify(error="no such product"), 404
        total = round(PRODUCTS[product_id]["price"] * quantity, 2)
        return jsonify(product_id=product_id, quantity=quantity, total=total), 201

    @app.get("/products/<int:product_id>/price")
    def converted_price(product_id: int):
        if product_id not in PRODUCTS:
            return jsonify(error="no such product"), 404
        currency = request.args.get("currency", "USD").upper()
        try:
            rate = rates.get_rate(currency)
        except KeyError:
            return jsonify(error=f"unknown currency {currency}"), 400
        except rates.RatesUnavailable:
            return jsonify(error="exchange rates are unavailable, try again later"), 503
        return jsonify(currency=currency, price=round(PRODUCTS[product_id]["price"] * rate, 2))

    return app
