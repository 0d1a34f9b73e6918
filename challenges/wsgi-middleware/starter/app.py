"""A small item API, wrapped in WSGI middleware."""

from __future__ import annotations

from flask import Flask, jsonify, request

from middleware import MaintenanceMiddleware, MethodOverrideMiddleware, ServerTimingMiddleware


def create_app() -> Flask:
    app = Flask(__name__)
    app.extensions["hits"] = 0
    items = {1: "lamp", 2: "desk"}

    @app.before_request
    def count_hit():
        app.extensions["hits"] += 1

    @app.get("/health")
    def health():
        return jsonify(status="ok")

    @app.get("/items/<int:item_id>")
    def get_item(item_id: int):
        if item_id not in items:
            return jsonify(error="no such item"), 404
        return jsonify(id=item_id, name=items[item_id], method=request.method)

    @app.route("/items/<int:item_id>", methods=["PUT", "DELETE"])
    def change_item(item_id: int):
        if request.method == "DELETE":
            items.pop(item_id, None)
            return jsonify(deleted=item_id, method=request.method)
        items[item_id] = (request.get_json(silent=True) or {}).get("name", "")
        return jsonify(id=item_id, name=items[item_id], method=request.method)

    # Wrap the WSGI application here.
    return app
