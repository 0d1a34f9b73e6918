"""Version 2: prices are objects in cents with a currency, lists and errors are objects too."""

from __future__ import annotations

import copy

from flask import Blueprint, Response, current_app, jsonify, request, url_for

VERSION = "2"
CURRENCY = "EUR"

bp = Blueprint("api_v2", __name__, url_prefix="/api/v2")


def products() -> dict[int, dict]:
    # v2 started as a copy of v1, data included
    if "products_v2" not in current_app.extensions:
        current_app.extensions["products_v2"] = copy.deepcopy(current_app.extensions["products"])
    return current_app.extensions["products_v2"]


def add_product(name: str, price_cents: int) -> dict:
    product_id = max(products(), default=0) + 1
    products()[product_id] = {"id": product_id, "name": name, "price_cents": price_cents}
    return products()[product_id]


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
