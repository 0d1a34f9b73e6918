"""A login endpoint and a calculator that should leave a useful trail in the logs."""

from __future__ import annotations

import logging
import os

from flask import Flask, jsonify, request

USERS = {"ann": "secret-ann", "bob": "hunter2"}
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def configure_logging(app: Flask) -> None:
    wanted = os.environ.get("LOG_LEVEL", "INFO").upper()
    # Flask's logger has no level of its own: without this it inherits WARNING from the root logger
    app.logger.setLevel(getattr(logging, wanted) if wanted in LEVELS else logging.INFO)
    if wanted not in LEVELS:
        app.logger.warning("unknown LOG_LEVEL %r, using INFO", wanted)


def create_app() -> Flask:
    app = Flask(__name__)
    configure_logging(app)

    @app.post("/login")
    def login():
        data = request.get_json(silent=True) or {}
        username, password = data.get("username"), data.get("password")
        if USERS.get(username) != password:
            # never log the password: logs are read by many people and kept for a long time
            print(f"failed login for {username}")
            return jsonify(error="invalid credentials"), 401
        print(f"user {username} logged in")
        return jsonify(user=username)

    @app.get("/divide")
    def divide():
        try:
            a = float(request.args["a"])
            b = float(request.args["b"])
        except (KeyError, ValueError):
            return jsonify(error="a and b must be numbers"), 400
        app.logger.debug("dividing %s by %s", a, b)
        try:
            return jsonify(result=a / b)
        except ZeroDivisionError:
            app.logger.exception("division failed")
            return jsonify(error="b must not be zero"), 400

    return app
