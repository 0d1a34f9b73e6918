"""A login endpoint and a calculator that should leave a useful trail in the logs."""

from __future__ import annotations

import logging
import os

from flask import Flask, jsonify, request

USERS = {"ann": "secret-ann", "bob": "hunter2"}


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/login")
    def login():
        data = request.get_json(silent=True) or {}
        username, password = data.get("username"), data.get("password")
        if USERS.get(username) != password:
            return jsonify(error="invalid credentials"), 401
        return jsonify(user=username)

    @app.get("/divide")
    def divide():
        try:
            a = float(request.args["a"])
            b = float(request.args["b"])
        except (KeyError, ValueError):
            return jsonify(error="a and b must be numbers"), 400
        return jsonify(result=a / b)

    return app
