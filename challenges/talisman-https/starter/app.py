"""A shop that must be served over HTTPS only, behind one TLS-terminating proxy."""

from __future__ import annotations

import os

from flask import Flask, jsonify, render_template, request, session, url_for


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")

    @app.get("/")
    def index():
        return render_template("index.html")

    @app.get("/products")
    def products():
        return jsonify(products=["teapot", "mug"], page=request.args.get("page", "1"))

    @app.get("/links")
    def links():
        return jsonify(products=url_for("products", _external=True))

    @app.post("/login")
    def login():
        user = (request.get_json(silent=True) or {}).get("user")
        if not isinstance(user, str) or not user.strip():
            return jsonify(error="user is required"), 400
        session["user"] = user.strip()
        return jsonify(user=session["user"])

    @app.get("/account")
    def account():
        return jsonify(user=session.get("user"))

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
