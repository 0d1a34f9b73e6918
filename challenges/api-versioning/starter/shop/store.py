"""The products every API version reads and writes."""

from __future__ import annotations

from flask import current_app


def products() -> dict[int, dict]:
    return current_app.extensions["products"]


def add_product(name: str, price_cents: int) -> dict:
    product_id = max(products(), default=0) + 1
    products()[product_id] = {"id": product_id, "name": name, "price_cents": price_cents}
    return products()[product_id]


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
