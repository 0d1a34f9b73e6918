"""The bakery in English and French, with Flask-Babel."""

from __future__ import annotations

import os

from flask import Flask, jsonify, render_template, request
from flask_babel import Babel, format_currency, get_locale, gettext as _, lazy_gettext as _l, ngettext

from catalogs import compile_catalogs

LANGUAGES = ["en", "fr"]

PRODUCTS = {
    "rye": {"name": "Rye loaf", "price": 3.5, "stock": 12},
    "turnover": {"name": "Apple turnover", "price": 1.8, "stock": 1},
    "eclair": {"name": "Chocolate eclair", "price": 2.4, "stock": 0},
}

babel = Babel()


def product_view(sku: str) -> dict:
    product = PRODUCTS[sku]
    return {
        "sku": sku,
        "name": product["name"],
        "price": f"{product['price']:.2f} EUR",
        "stock": f"{product['stock']} pieces left",
    }


def create_app() -> Flask:
    app = Flask(__name__)
    compile_catalogs(os.path.join(app.root_path, "translations"))
    # Choose the locale from the request: see the statement.
    babel.init_app(app)

    @app.get("/")
    def index():
        name = request.args.get("name") or "friend"
        products = [product_view(sku) for sku in PRODUCTS]
        return render_template("index.html", name=name, products=products, locale="en")

    @app.get("/api/products")
    def list_products():
        return jsonify(products=[product_view(sku) for sku in PRODUCTS])

    @app.get("/api/products/<sku>")
    def show_product(sku: str):
        if sku not in PRODUCTS:
            return jsonify(error=f"No product called {sku}"), 404
        return jsonify(product_view(sku))

    return app
