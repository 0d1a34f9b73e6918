"""MongoEngine bound to the app the way Flask-MongoEngine does it."""

from __future__ import annotations

import mongoengine
from flask import Flask


class MongoEngine:
    """Connects MongoEngine from the app's MONGODB_SETTINGS."""

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        settings = dict(app.config["MONGODB_SETTINGS"])
        alias = settings.setdefault("alias", mongoengine.DEFAULT_CONNECTION_NAME)
        connection = mongoengine.connect(**settings)
        app.extensions["mongoengine"] = {"alias": alias, "connection": connection}


db = MongoEngine()
