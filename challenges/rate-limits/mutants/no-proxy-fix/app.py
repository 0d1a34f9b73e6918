"""A quotes API behind one proxy, with per-client rate limits from Flask-Limiter."""

from __future__ import annotations

import hmac
import os

from flask import Flask, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import TooManyRequests

QUOTES = [
    "Simple is better than complex.",
    "Errors should never pass silently.",
    "Now is better than never.",
]

limiter = Limiter(get_remote_address, default_limits=["20 per minute"], headers_enabled=True)


def failed_login(response) -> bool:
    """Only refused logins count: typing the right password never uses up the budget."""
    return response.status_code == 401


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["LOGIN_PASSWORD"] = os.environ.get("LOGIN_PASSWORD", "correct horse")
    # the sandbox has no Redis: counters live in this process (production: redis://...)
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    limiter.init_app(app)

    @app.errorhandler(429)
    def too_many_requests(error: TooManyRequests):
        return jsonify(error="too many requests", limit=error.description), 429

    @app.get("/api/quotes")
    @limiter.limit("5 per minute")
    def quotes():
        return jsonify(quotes=QUOTES)

    @app.get("/api/status")
    def status():
        return jsonify(quotes=len(QUOTES))

    @app.post("/login")
    @limiter.limit("3 per minute", deduct_when=failed_login)
    def login():
        data = request.get_json(silent=True) or {}
        password = data.get("password")
        if data.get("user") == "ann" and isinstance(password, str) and hmac.compare_digest(
            password.encode(), app.config["LOGIN_PASSWORD"].encode()
        ):
            return jsonify(user="ann")
        return jsonify(error="wrong user or password"), 401

    @app.get("/healthz")
    @limiter.exempt
    def healthz():
        return jsonify(status="ok")

    return app
