"""A shop API, version 1 only: add version 2 without breaking the clients of version 1."""

from __future__ import annotations

from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)
    app.extensions["products"] = {
        1: {"id": 1, "name": "Teapot", "price_cents": 2500},
        2: {"id": 2, "name": "Mug", "price_cents": 850},
    }

    from . import v1

    app.register_blueprint(v1.bp)
    return app
