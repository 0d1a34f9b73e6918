"""An order API whose changes reach staff and customers live, over a Socket.IO namespace."""

from __future__ import annotations

import os

from flask import Flask, current_app, jsonify, request, session
from flask_socketio import ConnectionRefusedError, Namespace, SocketIO, join_room

STATUSES = ("placed", "packed", "shipped", "delivered")
USERS = {
    "ann-token": {"name": "ann", "staff": False},
    "bob-token": {"name": "bob", "staff": False},
    "sam-token": {"name": "sam", "staff": True},
}
NAMESPACE = "/orders"

socketio = SocketIO()


def user_for_token(token: object) -> dict | None:
    """The user a token belongs to, or None."""
    return current_app.config["USERS"].get(token) if isinstance(token, str) else None


def bearer_user() -> dict | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return user_for_token(token) if scheme == "Bearer" else None


def user_room(name: str) -> str:
    return f"user:{name}"


class OrdersNamespace(Namespace):
    """Live order events: staff hear every order, customers their own."""

    def on_connect(self, auth: dict | None = None) -> None:
        user = user_for_token((auth or {}).get("token"))
        if user is None:
            raise ConnectionRefusedError("unauthorized")
        session["user"] = user
        # one room per person, not per connection: every open tab gets the updates
        join_room(user_room(user["name"]))
        if user["staff"]:
            join_room("staff")

    def on_orders(self, _data: object = None) -> list[dict]:
        user = session["user"]
        orders = current_app.extensions["orders"].values()
        return [o for o in orders if user["staff"] or o["owner"] == user["name"]]


socketio.on_namespace(OrdersNamespace(NAMESPACE))


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
        socketio.emit("order.created", order, to="staff", namespace=NAMESPACE)
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
        # a list of rooms: someone in both (staff who ordered) still gets one copy
        socketio.emit("order.status", {"id": order_id, "status": status},
                      to=[user_room(order["owner"]), "staff"], namespace=NAMESPACE)
        return jsonify(order)

    socketio.init_app(app)
    return app
