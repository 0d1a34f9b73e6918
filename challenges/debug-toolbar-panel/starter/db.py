"""The notes database: plain sqlite3, one connection per request, every query recorded in `g`.

This module is given: you do not submit it. `query()` appends each statement it runs to
`g.queries` as `{"sql": ..., "params": (...), "ms": ...}`, for the Queries panel to show.
"""

from __future__ import annotations

import os
import sqlite3
import time

from flask import Flask, current_app, g

SCHEMA = "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"
SEED = ["Order rye flour", "Clean the big oven", "Call the flour mill about Friday"]


def connection() -> sqlite3.Connection:
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


def query(sql: str, params: tuple = ()) -> list[dict]:
    """Run one statement, record it in g.queries, and return the rows as dictionaries."""
    started = time.perf_counter()
    cursor = connection().execute(sql, params)
    rows = [dict(row) for row in cursor.fetchall()]
    connection().commit()
    g.setdefault("queries", []).append(
        {"sql": sql, "params": params, "ms": round((time.perf_counter() - started) * 1000, 2)})
    return rows


def close(_error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app: Flask) -> None:
    """Create the database file with its seed notes, and close connections after each request."""
    os.makedirs(app.instance_path, exist_ok=True)
    with sqlite3.connect(app.config["DATABASE"]) as db:
        db.execute(SCHEMA)
        if db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0:
            db.executemany("INSERT INTO notes (body) VALUES (?)", [(body,) for body in SEED])
    app.teardown_appcontext(close)
