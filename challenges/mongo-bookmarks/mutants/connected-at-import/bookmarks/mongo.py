"""MongoEngine bound to the app the way Flask-MongoEngine does it."""

from __future__ import annotations

import mongoengine
import mongomock
from flask import Flask

# connected once, when the module is imported, whatever the app's settings say
mongoengine.connect(
    "bookmarks", host="mongodb://localhost:27017", mongo_client_class=mongomock.MongoClient
)


class MongoEngine:
    """Connects MongoEngine from the app's MONGODB_SETTINGS."""

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        app.extensions["mongoengine"] = {
            "alias": mongoengine.DEFAULT_CONNECTION_NAME,
            "connection": mongoengine.get_connection(),
        }


db = MongoEngine()
