"""Bookmarks kept in MongoDB through MongoEngine."""

from __future__ import annotations

import os

import mongomock
from flask import Flask
from werkzeug.exceptions import HTTPException

from .mongo import db


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config["MONGODB_SETTINGS"] = {
        "db": "bookmarks",
        "host": os.environ.get("MONGODB_URI", "mongodb://localhost:27017/bookmarks"),
        # no MongoDB server here: mongomock keeps the database in memory; drop it in production
        "mongo_client_class": mongomock.MongoClient,
    }
    if test_config is not None:
        app.config.update(test_config)
    db.init_app(app)

    from . import views

    app.register_blueprint(views.bp)
    # every error answers JSON: {"error": "<description>"}
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))
    return app
