"""Version 1, in production: prices are plain numbers in euros."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from .store import add_product, is_number, products

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")


def show(product: dict) -> dict:
    return {"id": product["id"], "name": product["name"], "price": product["price_cents"] / 100}


def error(status: int, message: str):
    return jsonify(error=message), status


@bp.route("/products", methods=["GET", "POST"])
def products_view():
    if request.method == "GET":
        return jsonify([show(p) for p in products().values()])
    data = request.get_json(silent=True) or {}
    name, price = data.get("name"), data.get("price")
    if not isinstance(name, str) or not name.strip():
        return error(400, "name must be a non-empty string")
    if not is_number(price) or price <= 0:
        return error(400, "price must be a positive number")
    product = add_product(name.strip(), round(price * 100))
    return jsonify(show(product)), 201, {"Location": url_for("api_v1.product_view",
                                                             product_id=product["id"])}


@bp.get("/products/<int:product_id>")
def product_view(product_id: int):
    product = products().get(product_id)
    if product is None:
        return error(404, f"no product {product_id}")
    return jsonify(show(product))
