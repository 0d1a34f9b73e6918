"""A small API that tags every request with an id, guards /admin and keeps a request log."""

from __future__ import annotations

import os
import re
import uuid

from flask import Flask, g, has_request_context, jsonify, request

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def describe_request() -> dict | None:
    """The current request as a dict, or None when there is no request."""
    if not has_request_context():
        return None
    return {"method": request.method, "path": request.path}


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["API_KEY"] = os.environ.get("API_KEY", "dev-key")
    app.extensions["request_log"] = []

    @app.before_request
    def assign_request_id():
        incoming = request.headers.get("X-Request-Id", "")
        # an id we did not check could smuggle anything into our logs and headers
        g.request_id = incoming if REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex

    @app.before_request
    def guard_admin():
        key = request.headers.get("X-Api-Key")
        if request.path.startswith("/admin/") and key != app.config["API_KEY"]:
            jsonify(error="unauthorized"), 401

    @app.after_request
    def add_request_id(response):
        response.headers["X-Request-Id"] = g.request_id
        return response

    @app.teardown_request
    def log_request(error: BaseException | None):
        app.extensions["request_log"].append({
            "path": request.path,
            "request_id": g.get("request_id"),
            "error": type(error).__name__ if error is not None else None,
        })

    @app.get("/whoami")
    def whoami():
        return jsonify(
            request_id=g.request_id,
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
