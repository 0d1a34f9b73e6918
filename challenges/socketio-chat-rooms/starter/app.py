"""Chat rooms over Socket.IO. Only the HTTP side exists so far."""

from __future__ import annotations

import os

from flask import Flask, jsonify, request

MAX_LENGTH = 32


def text_field(data: object, key: str, limit: int = MAX_LENGTH) -> str | None:
    """The stripped string under `key`, or None when it is missing, blank or too long."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
        return None
    return value.strip()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")

    @app.post("/rooms/<room>/announcements")
    def announce(room: str):
        text = text_field(request.get_json(silent=True), "text", limit=500)
        if text is None:
            return jsonify(error="text must be a non-empty string"), 400
        # send the announcement to everyone in the room here
        return jsonify(room=room, text=text)

    return app
