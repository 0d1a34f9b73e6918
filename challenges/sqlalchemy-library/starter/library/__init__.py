"""A small library catalogue on Flask-SQLAlchemy."""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import HTTPException

from .models import db


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    # To do: read DATABASE_URL from the environment (see config.py) and set the engine options
    app.config.from_mapping(BOOKS_PER_PAGE=5, SQLALCHEMY_DATABASE_URI="sqlite:///library.sqlite")
    if test_config is not None:
        app.config.update(test_config)
    db.init_app(app)

    from . import views

    app.register_blueprint(views.bp)
    # every error answers JSON: {"error": "<description>"}
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))
    # To do: the `flask init-db` command
    return app
