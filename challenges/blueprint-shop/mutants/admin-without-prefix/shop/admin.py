"""Shop administration: every route needs the admin token."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from .store import products, public

bp = Blueprint("admin", __name__)


@bp.before_request
def require_token():
    # registered on the blueprint, so it guards the admin routes only
    if request.headers.get("X-Admin-Token") != current_app.config["ADMIN_TOKEN"]:
        return jsonify(error="forbidden"), 403
    return None


@bp.post("/products")
def add_product():
    data = request.get_json(silent=True) or {}
    name, price = data.get("name"), data.get("price")
    if not isinstance(name, str) or not name.strip():
        return jsonify(error="name must be a non-empty string"), 400
    if not isinstance(price, (int, float)) or isinstance(price, bool) or price <= 0:
        return jsonify(error="price must be a positive number"), 400
    new_id = max(products(), default=0) + 1
    products()[new_id] = {"id": new_id, "name": name.strip(), "price": float(price)}
    item = public(products()[new_id])
    return jsonify(item), 201, {"Location": item["url"]}
