"""The database connection."""

from __future__ import annotations

import sqlite3

import click
from flask import Flask, current_app


def get_db() -> sqlite3.Connection:
    # This opens a new connection on every call and nobody closes it.
    # Make it one connection per app context, kept in `g` and closed at teardown.
    return sqlite3.connect(current_app.config["DATABASE"])


def init_db() -> None:
    """Create the tables from schema.sql (deleting any existing data)."""
    db = get_db()
    with current_app.open_resource("schema.sql") as f:
        db.executescript(f.read().decode("utf-8"))


@click.command("init-db")
def init_db_command() -> None:
    """Create new, empty tables."""
    init_db()
    click.echo("Initialized the database.")


def init_app(app: Flask) -> None:
    app.cli.add_command(init_db_command)
