"""MongoEngine bound to the app the way Flask-MongoEngine does it."""

from __future__ import annotations

from flask import Flask


class MongoEngine:
    """Connects MongoEngine from the app's MONGODB_SETTINGS."""

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        # To do: connect with the settings in app.config["MONGODB_SETTINGS"],
        # and register the extension in app.extensions["mongoengine"]
        pass


db = MongoEngine()
