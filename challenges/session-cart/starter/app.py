"""A shopping cart kept in the session and a colour theme kept in a cookie."""

from __future__ import annotations

import os

from flask import Flask, jsonify, request, session

THEMES = ("light", "dark")


def create_app() -> Flask:
    app = Flask(__name__)
    # Set SECRET_KEY (from the environment, with a development fallback)
    # and SESSION_COOKIE_SAMESITE here.

    @app.get("/cart")
    def show_cart():
        cart: dict[str, int] = {}
        return jsonify(cart=cart, count=0)

    @app.post("/cart/items")
    def add_item():
        return jsonify(error="not implemented yet"), 501

    @app.delete("/cart/items/<sku>")
    def remove_item(sku: str):
        return jsonify(error="not implemented yet"), 501

    @app.delete("/cart")
    def clear_cart():
        return jsonify(error="not implemented yet"), 501

    @app.get("/theme")
    def show_theme():
        return jsonify(theme="light")

    @app.post("/theme")
    def choose_theme():
        return jsonify(error="not implemented yet"), 501

    return app
