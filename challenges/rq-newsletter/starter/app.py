"""A newsletter service. It sends every message while the request waits: move that to RQ."""

from __future__ import annotations

import json
import os

import fakeredis
from flask import Flask, jsonify, request
from redis import Redis

from jobs import deliver

MAX_RECIPIENTS = 100


def connect_redis(url: str) -> Redis:
    """A Redis client; `fakeredis://` gives an in-process fake (there is no Redis server here)."""
    if url.startswith("fakeredis://"):
        return fakeredis.FakeRedis()
    return Redis.from_url(url)


def newsletter_error(data: dict) -> str | None:
    subject, recipients = data.get("subject"), data.get("recipients")
    if not isinstance(subject, str) or not subject.strip():
        return "subject must be a non-empty string"
    if (not isinstance(recipients, list) or not 1 <= len(recipients) <= MAX_RECIPIENTS
            or not all(isinstance(r, str) for r in recipients)):
        return f"recipients must be a list of 1 to {MAX_RECIPIENTS} addresses"
    return None


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["REDIS_URL"] = os.environ.get("REDIS_URL", "fakeredis://")
    redis = app.extensions["redis"] = connect_redis(app.config["REDIS_URL"])

    @app.post("/newsletters")
    def send():
        data = request.get_json(silent=True) or {}
        error = newsletter_error(data)
        if error:
            return jsonify(error=error), 400
        for address in data["recipients"]:
            deliver(redis, data["subject"], address)
        return jsonify(sent=len(data["recipients"])), 201

    @app.get("/outbox")
    def outbox():
        return jsonify([json.loads(item) for item in redis.lrange("outbox", 0, -1)])

    return app
