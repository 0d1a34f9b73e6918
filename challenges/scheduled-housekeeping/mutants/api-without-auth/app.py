"""Pastes that expire, cleaned up and counted by jobs that Flask-APScheduler runs on a schedule."""

from __future__ import annotations

import hmac
import os
import secrets
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, jsonify, request
from flask_apscheduler import APScheduler

scheduler = APScheduler()
MAX_TTL = 24 * 3600


def utcnow() -> datetime:
    return datetime.now(UTC)


def purge_expired() -> None:
    """Delete the pastes whose time is up."""
    # the scheduler calls this from its own thread, where no app context exists
    with scheduler.app.app_context():
        pastes = current_app.extensions["pastes"]
        expired = [key for key, paste in pastes.items() if paste["expires_at"] <= utcnow()]
        for key in expired:
            del pastes[key]
        current_app.logger.info("purged %d expired pastes", len(expired))


def daily_report() -> None:
    """Record how many pastes are stored today."""
    with scheduler.app.app_context():
        current_app.extensions["reports"].append(
            {"date": utcnow().date().isoformat(), "pastes": len(current_app.extensions["pastes"])}
        )


@scheduler.authenticate
def authenticate(auth: dict) -> bool:
    password = current_app.config["SCHEDULER_PASSWORD"]
    return auth["username"] == "admin" and hmac.compare_digest(auth["password"], password)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        SCHEDULER_TIMEZONE="UTC",
        SCHEDULER_API_ENABLED=True,
        SCHEDULER_JOBS=[
            {"id": "purge-expired", "func": "app:purge_expired", "trigger": "interval",
             "minutes": 5},
            {"id": "daily-report", "func": "app:daily_report", "trigger": "cron", "hour": 6,
             "minute": 0},
        ],
        SCHEDULER_PASSWORD=os.environ.get("SCHEDULER_PASSWORD", "change-me"),
    )
    app.extensions["pastes"] = {}
    app.extensions["reports"] = []

    @app.post("/pastes")
    def add_paste():
        data = request.get_json(silent=True) or {}
        text, ttl = data.get("text"), data.get("ttl")
        if not isinstance(text, str) or not text.strip():
            return jsonify(error="text must be a non-empty string"), 400
        if not isinstance(ttl, int) or isinstance(ttl, bool) or not 0 <= ttl <= MAX_TTL:
            return jsonify(error=f"ttl must be a whole number of seconds from 0 to {MAX_TTL}"), 400
        key = secrets.token_urlsafe(6)
        expires_at = utcnow() + timedelta(seconds=ttl)
        app.extensions["pastes"][key] = {"text": text, "expires_at": expires_at}
        return jsonify(id=key, expires_at=expires_at.isoformat()), 201

    @app.get("/pastes")
    def list_pastes():
        return jsonify(pastes=list(app.extensions["pastes"]))

    @app.get("/reports")
    def list_reports():
        return jsonify(app.extensions["reports"])

    scheduler.init_app(app)
    scheduler.start()
    return app
