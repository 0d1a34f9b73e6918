"""A shop API published in two versions, under versioned URLs and behind a version header."""

from __future__ import annotations

from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)
    # one store for every version: prices in cents, each version shows them its own way
    app.extensions["products"] = {
        1: {"id": 1, "name": "Teapot", "price_cents": 2500},
        2: {"id": 2, "name": "Mug", "price_cents": 850},
    }

    from . import negotiate, v1, v2

    app.register_blueprint(v1.bp)
    app.register_blueprint(v2.bp)
    app.register_blueprint(negotiate.bp)
    return app
