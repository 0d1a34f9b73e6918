"""A shopping cart kept in the session and a colour theme kept in a cookie."""

from __future__ import annotations

import json
import os

from flask import Flask, jsonify, request, session

THEMES = ("light", "dark")
THEME_MAX_AGE = 30 * 24 * 3600


def read_cart() -> dict:
    try:
        return json.loads(request.cookies.get("cart", "{}"))
    except ValueError:
        return {}


def cart_view(status: int = 200, cart: dict | None = None):
    cart = read_cart() if cart is None else cart
    response = jsonify(cart=cart, count=sum(cart.values()))
    response.set_cookie("cart", json.dumps(cart), httponly=True, samesite="Lax")
    return response, status


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"

    @app.get("/cart")
    def show_cart():
        return cart_view()

    @app.post("/cart/items")
    def add_item():
        data = request.get_json(silent=True) or {}
        sku, qty = data.get("sku"), data.get("qty")
        if not isinstance(sku, str) or not sku.strip():
            return jsonify(error="sku must be a non-empty string"), 400
        if not isinstance(qty, int) or isinstance(qty, bool) or not 1 <= qty <= 99:
            return jsonify(error="qty must be a whole number from 1 to 99"), 400
        cart = read_cart()
        cart[sku] = cart.get(sku, 0) + qty
        return cart_view(201, cart)

    @app.delete("/cart/items/<sku>")
    def remove_item(sku: str):
        cart = read_cart()
        if sku not in cart:
            return jsonify(error=f"{sku} is not in the cart"), 404
        del cart[sku]
        return cart_view(200, cart)

    @app.delete("/cart")
    def clear_cart():
        response = app.response_class(status=204)
        response.delete_cookie("cart")
        return response

    @app.get("/theme")
    def show_theme():
        theme = request.cookies.get("theme")
        return jsonify(theme=theme if theme in THEMES else "light")

    @app.post("/theme")
    def choose_theme():
        theme = (request.get_json(silent=True) or {}).get("theme")
        if theme not in THEMES:
            return jsonify(error=f"theme must be one of {', '.join(THEMES)}"), 400
        response = jsonify(theme=theme)
        response.set_cookie("theme", theme, max_age=THEME_MAX_AGE, httponly=True, samesite="Lax")
        return response

    return app
