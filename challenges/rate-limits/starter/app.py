"""A quotes API behind one proxy. Nothing stops a client from calling it a million times."""

from __future__ import annotations

import hmac
import os

from flask import Flask, jsonify, request

QUOTES = [
    "Simple is better than complex.",
    "Errors should never pass silently.",
    "Now is better than never.",
]


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["LOGIN_PASSWORD"] = os.environ.get("LOGIN_PASSWORD", "correct horse")

    @app.get("/api/quotes")
    def quotes():
        return jsonify(quotes=QUOTES)

    @app.get("/api/status")
    def status():
        return jsonify(quotes=len(QUOTES))

    @app.post("/login")
    def login():
        data = request.get_json(silent=True) or {}
        password = data.get("password")
        if data.get("user") == "ann" and isinstance(password, str) and hmac.compare_digest(
            password.encode(), app.config["LOGIN_PASSWORD"].encode()
        ):
            return jsonify(user="ann")
        return jsonify(error="wrong user or password"), 401

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
