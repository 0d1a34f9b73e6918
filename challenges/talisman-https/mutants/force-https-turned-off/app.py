"""A shop served over HTTPS only, behind one TLS-terminating proxy, with Flask-Talisman."""

from __future__ import annotations

import os

from flask import Flask, jsonify, render_template, request, session, url_for
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

talisman = Talisman()

HSTS_MAX_AGE = 2 * 365 * 24 * 3600

CSP = {
    "default-src": "'self'",
    "img-src": ["'self'", "https://images.example.com"],
    "script-src": "'self'",
}


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
    # one Nginx in front: trust one hop of its scheme, host and client address
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    talisman.init_app(
        app,
        # the redirects got in the way: the proxy already speaks HTTPS to visitors
        force_https=False,
        strict_transport_security_max_age=HSTS_MAX_AGE,
        strict_transport_security_preload=True,
        frame_options="DENY",
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src"],
    )

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
    # the load balancer probes the container over plain HTTP on its private address
    @talisman(force_https=False)
    def healthz():
        return jsonify(status="ok")

    return app
