"""A small library catalogue on Flask-SQLAlchemy."""

from __future__ import annotations

import os

import click
from flask import Flask
from werkzeug.exceptions import HTTPException

from .config import database_url, engine_options
from .models import db


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    url = database_url(os.environ.get("DATABASE_URL"))
    app.config.from_mapping(
        BOOKS_PER_PAGE=5, SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS=engine_options(url)
    )
    if test_config is not None:
        app.config.update(test_config)
    db.init_app(app)

    from . import views

    app.register_blueprint(views.bp)
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))

    @app.cli.command("init-db")
    def init_db_command() -> None:
        """Create the tables that do not exist yet."""
        db.create_all()
        click.echo("Initialized the database.")

    return app
