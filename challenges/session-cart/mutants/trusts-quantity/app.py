"""A shopping cart kept in the session and a colour theme kept in a cookie."""

from __future__ import annotations

import os

from flask import Flask, jsonify, request, session

THEMES = ("light", "dark")
THEME_MAX_AGE = 30 * 24 * 3600


def cart_view(status: int = 200):
    cart = session.get("cart", {})
    return jsonify(cart=cart, count=sum(cart.values())), status


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
        if not qty:
            return jsonify(error="qty is required"), 400
        qty = int(qty)
        cart = session.setdefault("cart", {})
        cart[sku] = cart.get(sku, 0) + qty
        # the dict inside the session changed in place: Flask cannot see that by itself
        session.modified = True
        return cart_view(201)

    @app.delete("/cart/items/<sku>")
    def remove_item(sku: str):
        cart = session.get("cart", {})
        if sku not in cart:
            return jsonify(error=f"{sku} is not in the cart"), 404
        del cart[sku]
        session.modified = True
        return cart_view()

    @app.delete("/cart")
    def clear_cart():
        session.pop("cart", None)
        return "", 204

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
