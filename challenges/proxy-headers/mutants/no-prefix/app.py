"""A shop served by Gunicorn behind one Nginx proxy, at https://shop.example.com/store/."""

from __future__ import annotations

import ipaddress

from flask import Flask, abort, jsonify, redirect, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

INTERNAL = ipaddress.ip_network("10.0.0.0/8")


def client_ip() -> str:
    """The address of the visitor's computer."""
    return request.remote_addr or ""


def create_app() -> Flask:
    app = Flask(__name__)
    # exactly one proxy (Nginx) sits in front of us: trust one hop of each header, no more,
    # or any client could choose its own address by sending X-Forwarded-For itself
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    @app.get("/")
    def home():
        return jsonify(page="home")

    @app.get("/whoami")
    def whoami():
        return jsonify(ip=client_ip(), scheme=request.scheme, host=request.host,
                       url=request.url, secure=request.is_secure)

    @app.get("/links")
    def links():
        return jsonify({"self": url_for("links", _external=True), "home": url_for("home")})

    @app.get("/old-home")
    def old_home():
        return redirect(url_for("home"), 301)

    @app.get("/admin")
    def admin():
        if ipaddress.ip_address(client_ip()) not in INTERNAL:
            abort(403)
        return jsonify(page="admin")

    return app
