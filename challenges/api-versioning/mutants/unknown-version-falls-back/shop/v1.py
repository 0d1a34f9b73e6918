"""Version 1, deprecated but kept working: prices are plain numbers in euros."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for

from .store import add_product, is_number, products

VERSION = "1"
DEPRECATED_SINCE = "@1767225600"  # 2026-01-01T00:00:00Z, as RFC 9745 writes it
SUNSET = "Wed, 30 Jun 2027 23:59:59 GMT"

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


def label(response: Response) -> Response:
    """Say which version answered, that it is deprecated, and where its successor is."""
    response.headers["API-Version"] = VERSION
    response.headers["Deprecation"] = DEPRECATED_SINCE
    response.headers["Sunset"] = SUNSET
    view = (request.endpoint or "").rpartition(".")[2]
    successor = url_for(f"api_v2.{view}", **(request.view_args or {}))
    response.headers["Link"] = f'<{successor}>; rel="successor-version"'
    return response


bp.after_request(label)
