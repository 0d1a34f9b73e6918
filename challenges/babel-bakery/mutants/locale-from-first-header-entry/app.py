"""The bakery in English and French, with Flask-Babel."""

from __future__ import annotations

import os

from flask import Flask, jsonify, render_template, request
from flask_babel import Babel, format_currency, get_locale, gettext as _, lazy_gettext as _l, ngettext

from catalogs import compile_catalogs

LANGUAGES = ["en", "fr"]

# defined at import time, outside any request: lazy strings are translated when they are used
PRODUCTS = {
    "rye": {"name": _l("Rye loaf"), "price": 3.5, "stock": 12},
    "turnover": {"name": _l("Apple turnover"), "price": 1.8, "stock": 1},
    "eclair": {"name": _l("Chocolate eclair"), "price": 2.4, "stock": 0},
}

babel = Babel()


def select_locale() -> str:
    """?lang= when it names a supported language, else the best match of Accept-Language."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    header = request.headers.get("Accept-Language", "")
    first = header.split(",")[0].split(";")[0].split("-")[0].strip().lower()
    return first if first in LANGUAGES else "en"


def product_view(sku: str) -> dict:
    product = PRODUCTS[sku]
    return {
        "sku": sku,
        "name": str(product["name"]),
        "price": format_currency(product["price"], "EUR"),
        "stock": ngettext("%(num)d piece left", "%(num)d pieces left", product["stock"]),
    }


def create_app() -> Flask:
    app = Flask(__name__)
    compile_catalogs(os.path.join(app.root_path, "translations"))
    babel.init_app(app, locale_selector=select_locale)

    @app.after_request
    def content_language(response):
        response.headers["Content-Language"] = str(get_locale())
        return response

    @app.get("/")
    def index():
        name = request.args.get("name") or _("friend")
        products = [product_view(sku) for sku in PRODUCTS]
        return render_template("index.html", name=name, products=products, locale=get_locale())

    @app.get("/api/products")
    def list_products():
        return jsonify(products=[product_view(sku) for sku in PRODUCTS])

    @app.get("/api/products/<sku>")
    def show_product(sku: str):
        if sku not in PRODUCTS:
            return jsonify(error=_("No product called %(sku)s", sku=sku)), 404
        return jsonify(product_view(sku))

    return app
