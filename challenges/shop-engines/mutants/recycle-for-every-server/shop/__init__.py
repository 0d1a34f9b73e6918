"""A shop whose catalogue and page-view analytics live in two databases."""

from __future__ import annotations

import os

import click
from flask import Flask
from werkzeug.exceptions import HTTPException

from .config import DEFAULT_ANALYTICS_URL, database_url, engine_options
from .models import db


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    main_url = database_url(os.environ)
    analytics_url = os.environ.get("ANALYTICS_DATABASE_URL") or DEFAULT_ANALYTICS_URL
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=main_url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(main_url),
        # each bind gets the options of its own dialect
        SQLALCHEMY_BINDS={"analytics": {"url": analytics_url, **engine_options(analytics_url)}},
    )
    if test_config is not None:
        app.config.update(test_config)
    db.init_app(app)

    from . import views

    app.register_blueprint(views.bp)
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))

    @app.cli.command("init-db")
    def init_db_command() -> None:
        """Create the tables of every database."""
        db.create_all()
        click.echo("Initialized the databases.")

    return app
