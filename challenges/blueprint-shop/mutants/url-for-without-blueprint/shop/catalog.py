"""The public catalog, mounted under /catalog."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from .store import products, public

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


@bp.get("/")
def index():
    return jsonify([public(p) for p in products().values()])


@bp.get("/<int:product_id>")
def product(product_id: int):
    item = products().get(product_id)
    if item is None:
        abort(404, description=f"no product {product_id}")
    return jsonify(public(item))


@bp.errorhandler(404)
def not_found(error):
    return jsonify(error=error.description), 404
