"""A task list managed from the command line and read over HTTP."""

from __future__ import annotations

import os
import sqlite3

import click
from flask import Flask, current_app, g, jsonify
from flask.cli import AppGroup

SCHEMA = """
DROP TABLE IF EXISTS task;
CREATE TABLE task (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    priority INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0
);
"""


def get_db() -> sqlite3.Connection:
    """One connection per app context; the table is created on first use."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
        exists = g.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'task'"
        ).fetchone()
        if exists is None:
            g.db.executescript(SCHEMA)
    return g.db


def close_db(error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["DATABASE"] = os.environ.get("DATABASE", "tasks.sqlite")
    app.teardown_appcontext(close_db)

    @app.get("/tasks")
    def list_tasks():
        rows = get_db().execute("SELECT id, title, priority, done FROM task ORDER BY id").fetchall()
        return jsonify([{**dict(row), "done": bool(row["done"])} for row in rows])

    return app
