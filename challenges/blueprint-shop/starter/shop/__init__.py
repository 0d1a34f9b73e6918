"""A small shop, still in one module: split it into blueprints."""

from __future__ import annotations

import os

from flask import Flask, current_app, jsonify, request, url_for


def products() -> dict[int, dict]:
    return current_app.extensions["products"]


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["ADMIN_TOKEN"] = os.environ.get("ADMIN_TOKEN", "change-me")
    app.extensions["products"] = {
        1: {"id": 1, "name": "Teapot", "price": 25.0},
        2: {"id": 2, "name": "Mug", "price": 8.5},
    }

    @app.get("/")
    def home():
        return jsonify(catalog=url_for("catalog_index"))

    @app.get("/products/")
    def catalog_index():
        return jsonify([dict(p, url=url_for("product", product_id=p["id"])) for p in products().values()])

    @app.get("/products/<int:product_id>")
    def product(product_id: int):
        item = products()[product_id]
        return jsonify(dict(item, url=url_for("product", product_id=product_id)))

    @app.post("/products/")
    def add_product():
        data = request.get_json(silent=True) or {}
        new_id = max(products(), default=0) + 1
        products()[new_id] = {"id": new_id, "name": data["name"], "price": data["price"]}
        return jsonify(products()[new_id]), 201

    return app
