"""Bakery notes with Flask-DebugToolbar, switched on by debug mode only."""

from __future__ import annotations

import os

from flask import Flask, jsonify, redirect, render_template, request, url_for
from flask_debugtoolbar import DebugToolbarExtension

import db

toolbar = DebugToolbarExtension()

PANELS = [
    "flask_debugtoolbar.panels.timer.TimerDebugPanel",
    "flask_debugtoolbar.panels.request_vars.RequestVarsDebugPanel",
    "flask_debugtoolbar.panels.template.TemplateDebugPanel",
    "flask_debugtoolbar.panels.logger.LoggingPanel",
    "panels.QueriesPanel",
]


def create_app() -> Flask:
    # DEBUG is not set here: Flask reads it from FLASK_DEBUG (what `flask run --debug` sets)
    app = Flask(__name__)
    toolbar.init_app(app)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-secret"),
        DATABASE=os.path.join(app.instance_path, "notes.sqlite"),
        DEBUG_TB_INTERCEPT_REDIRECTS=False,
        DEBUG_TB_PANELS=PANELS,
    )
    db.init_app(app)

    @app.get("/")
    def index():
        count = db.query("SELECT count(*) AS n FROM notes")[0]["n"]
        notes = db.query("SELECT id, body FROM notes ORDER BY id")
        return render_template("index.html", count=count, notes=notes)

    @app.get("/search")
    def search():
        q = request.args.get("q", "")
        notes = db.query("SELECT id, body FROM notes WHERE body LIKE ? ORDER BY id", (f"%{q}%",))
        return render_template("search.html", q=q, notes=notes)

    @app.post("/notes")
    def add_note():
        body = request.form.get("body", "").strip()
        if body:
            db.query("INSERT INTO notes (body) VALUES (?)", (body,))
        return redirect(url_for("index"), 303)

    @app.get("/api/notes")
    def api_notes():
        return jsonify(notes=db.query("SELECT id, body FROM notes ORDER BY id"))

    return app
