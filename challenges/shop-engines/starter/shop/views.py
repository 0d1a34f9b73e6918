"""The catalogue API, and the page views it records."""

from __future__ import annotations

from flask import Blueprint, abort, request
from sqlalchemy import func, select

from .models import PageView, Product, db

bp = Blueprint("shop", __name__)


@bp.post("/products")
def create_product():
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    name, price = data.get("name"), data.get("price_cents")
    if not isinstance(name, str) or not name.strip() or len(name) > 80:
        abort(400, "name must be a non-blank string of at most 80 characters")
    if isinstance(price, bool) or not isinstance(price, int) or price < 0:
        abort(400, "price_cents must be a whole number from 0")
    product = Product(name=name, price_cents=price)
    db.session.add(product)
    db.session.commit()
    return product.to_json(), 201


@bp.get("/products/<int:product_id>")
def one_product(product_id: int):
    product = db.get_or_404(Product, product_id, description="no such product")
    db.session.add(PageView(product_id=product.id))
    db.session.commit()
    return product.to_json()


@bp.get("/stats")
def stats():
    rows = db.session.execute(
        select(PageView.product_id, func.count()).group_by(PageView.product_id)
    )
    return {"views": {str(product_id): count for product_id, count in rows}}
