"""A small API that tags every request with an id, guards /admin and keeps a request log."""

from __future__ import annotations

import os
import re
import uuid

from flask import Flask, g, has_request_context, jsonify, request

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def describe_request() -> dict | None:
    """The current request as a dict, or None when there is no request."""
    return {"method": request.method, "path": request.path}


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["API_KEY"] = os.environ.get("API_KEY", "dev-key")
    app.extensions["request_log"] = []

    @app.get("/whoami")
    def whoami():
        return jsonify(
            request_id=None,
            method=request.method,
            path=request.path,
            user_agent=request.headers.get("User-Agent"),
        )

    @app.get("/admin/stats")
    def admin_stats():
        return jsonify(requests=len(app.extensions["request_log"]))

    @app.get("/fail")
    def fail():
        raise RuntimeError("the disk is full")

    return app
