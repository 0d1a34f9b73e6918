"""An order API. Staff and customers must see changes live: add the Socket.IO side."""

from __future__ import annotations

import os

from flask import Flask, current_app, jsonify, request

STATUSES = ("placed", "packed", "shipped", "delivered")
USERS = {
    "ann-token": {"name": "ann", "staff": False},
    "bob-token": {"name": "bob", "staff": False},
    "sam-token": {"name": "sam", "staff": True},
}


def user_for_token(token: object) -> dict | None:
    """The user a token belongs to, or None."""
    return current_app.config["USERS"].get(token) if isinstance(token, str) else None


def bearer_user() -> dict | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return user_for_token(token) if scheme == "Bearer" else None


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
    app.config["USERS"] = USERS
    orders: dict[int, dict] = {}
    app.extensions["orders"] = orders

    @app.post("/orders")
    def place_order():
        user = bearer_user()
        if user is None:
            return jsonify(error="unauthorized"), 401
        item = (request.get_json(silent=True) or {}).get("item")
        if not isinstance(item, str) or not item.strip():
            return jsonify(error="item must be a non-empty string"), 400
        order = {"id": len(orders) + 1, "owner": user["name"], "item": item.strip(),
                 "status": "placed"}
        orders[order["id"]] = order
        return jsonify(order), 201

    @app.post("/orders/<int:order_id>/status")
    def change_status(order_id: int):
        user = bearer_user()
        if user is None:
            return jsonify(error="unauthorized"), 401
        if not user["staff"]:
            return jsonify(error="staff only"), 403
        order = orders.get(order_id)
        if order is None:
            return jsonify(error=f"no order {order_id}"), 404
        status = (request.get_json(silent=True) or {}).get("status")
        if status not in STATUSES:
            return jsonify(error=f"status must be one of {', '.join(STATUSES)}"), 400
        order["status"] = status
        return jsonify(order)

    return app
