"""Version 2: prices are objects in cents with a currency, lists and errors are objects too."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for

from .store import add_product, products

VERSION = "2"
CURRENCY = "EUR"

bp = Blueprint("api_v2", __name__, url_prefix="/api/v2")


def show(product: dict) -> dict:
    return {"id": product["id"], "name": product["name"],
            "price": {"amount": product["price_cents"], "currency": CURRENCY}}


def error(status: int, code: str, message: str):
    return jsonify(error={"code": code, "message": message}), status


@bp.route("/products", methods=["GET", "POST"])
def products_view():
    if request.method == "GET":
        items = [show(p) for p in products().values()]
        return jsonify(items=items, count=len(items))
    data = request.get_json(silent=True) or {}
    name, price = data.get("name"), data.get("price")
    if not isinstance(name, str) or not name.strip():
        return error(400, "invalid", "name must be a non-empty string")
    if not isinstance(price, dict) or price.get("currency") != CURRENCY:
        return error(400, "invalid", f"price must be an object with currency {CURRENCY}")
    amount = price.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        return error(400, "invalid", "price.amount must be a positive whole number of cents")
    product = add_product(name.strip(), amount)
    return jsonify(show(product)), 201, {"Location": url_for("api_v2.product_view",
                                                             product_id=product["id"])}


@bp.get("/products/<int:product_id>")
def product_view(product_id: int):
    product = products().get(product_id)
    if product is None:
        return error(404, "not_found", f"no product {product_id}")
    return jsonify(show(product))


def label(response: Response) -> Response:
    response.headers["API-Version"] = VERSION
    return response


bp.after_request(label)
