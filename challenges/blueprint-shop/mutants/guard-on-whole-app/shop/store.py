"""The product data shared by the blueprints."""

from __future__ import annotations

from flask import current_app, url_for


def products() -> dict[int, dict]:
    return current_app.extensions["products"]


def public(product: dict) -> dict:
    """A product as the API shows it, with the URL of its page."""
    return dict(product, url=url_for("catalog.product", product_id=product["id"]))
