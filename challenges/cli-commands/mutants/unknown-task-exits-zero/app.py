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

tasks_cli = AppGroup("tasks", help="Manage the task list.")


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


@click.command("init-db")
def init_db_command() -> None:
    """Create an empty tasks database."""
    db = get_db()
    count = db.execute("SELECT COUNT(*) FROM task").fetchone()[0]
    if count and not click.confirm(f"This deletes {count} tasks. Continue?"):
        raise click.Abort()
    db.executescript(SCHEMA)
    click.echo("Initialized the database.")


@tasks_cli.command("add")
@click.argument("title")
@click.option("--priority", type=click.IntRange(1, 5), default=3, show_default=True,
              help="1 (low) to 5 (urgent).")
def add_task(title: str, priority: int) -> None:
    """Add a task."""
    db = get_db()
    cursor = db.execute("INSERT INTO task (title, priority) VALUES (?, ?)", (title, priority))
    db.commit()
    click.echo(f"Added task {cursor.lastrowid}: {title}")


@tasks_cli.command("list")
def list_tasks_command() -> None:
    """List every task."""
    rows = get_db().execute("SELECT id, title, priority, done FROM task ORDER BY id").fetchall()
    if not rows:
        click.echo("No tasks yet.")
    for row in rows:
        suffix = " (done)" if row["done"] else ""
        click.echo(f"{row['id']} [{row['priority']}] {row['title']}{suffix}")


@tasks_cli.command("done")
@click.argument("task_id", type=int)
def finish_task(task_id: int) -> None:
    """Mark a task as done."""
    db = get_db()
    cursor = db.execute("UPDATE task SET done = 1 WHERE id = ?", (task_id,))
    db.commit()
    if cursor.rowcount == 0:
        click.echo(f"No task {task_id}")
        return
    click.echo(f"Task {task_id} done")


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["DATABASE"] = os.environ.get("DATABASE", "tasks.sqlite")
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.cli.add_command(tasks_cli)

    @app.get("/tasks")
    def list_tasks():
        rows = get_db().execute("SELECT id, title, priority, done FROM task ORDER BY id").fetchall()
        return jsonify([{**dict(row), "done": bool(row["done"])} for row in rows])

    return app
