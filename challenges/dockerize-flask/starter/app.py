"""A tiny inventory service; the code is done, only its packaging is missing."""

from __future__ import annotations

import os

from flask import Flask, jsonify


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SERVICE_NAME"] = os.environ.get("SERVICE_NAME", "inventory")

    @app.get("/health")
    def health():
        return jsonify(status="ok", service=app.config["SERVICE_NAME"], pid=os.getpid())

    @app.get("/items")
    def items():
        return jsonify([{"sku": "A-1", "stock": 4}, {"sku": "B-2", "stock": 0}])

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
