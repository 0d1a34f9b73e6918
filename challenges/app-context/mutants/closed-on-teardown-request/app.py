"""A notes app whose views share one store per request through g."""

from __future__ import annotations

import os

from flask import Flask, current_app, g, jsonify, request

from store import Store, counters


def get_store() -> Store:
    """The store for the current context: opened on first use, then reused."""
    if "store" not in g:
        g.store = Store(current_app.config["NOTES_FILE"])
    return g.store


def close_store(error: BaseException | None = None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.close()


def notes_summary() -> dict:
    """{"app": <APP_NAME>, "notes": <number of notes>}; works without a request."""
    return {"app": current_app.config["APP_NAME"], "notes": len(get_store().all())}


def export_notes() -> list[str]:
    """Every note, for a script that runs outside Flask: it needs its own app context."""
    app = create_app()
    with app.app_context():
        return get_store().all()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["APP_NAME"] = os.environ.get("APP_NAME", "notes")
    app.config["NOTES_FILE"] = os.environ.get("NOTES_FILE", "notes.json")
    app.teardown_request(close_store)

    @app.get("/notes")
    def list_notes():
        return jsonify(notes=get_store().all(), count=len(get_store().all()))

    @app.post("/notes")
    def add_note():
        text = (request.get_json(silent=True) or {}).get("text")
        if not isinstance(text, str) or not text.strip():
            return jsonify(error="text must be a non-empty string"), 400
        get_store().add(text.strip())
        return jsonify(notes=get_store().all()), 201

    @app.get("/stats")
    def stats():
        return jsonify(counters())

    return app
