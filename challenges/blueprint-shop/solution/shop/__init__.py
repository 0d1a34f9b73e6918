"""A small shop: the factory wires the catalog and admin blueprints together."""

from __future__ import annotations

import os

from flask import Flask, jsonify, url_for


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["ADMIN_TOKEN"] = os.environ.get("ADMIN_TOKEN", "change-me")
    app.extensions["products"] = {
        1: {"id": 1, "name": "Teapot", "price": 25.0},
        2: {"id": 2, "name": "Mug", "price": 8.5},
    }

    from . import admin, catalog

    app.register_blueprint(catalog.bp)
    app.register_blueprint(admin.bp, url_prefix="/admin")

    @app.get("/")
    def home():
        return jsonify(catalog=url_for("catalog.index"))

    return app
