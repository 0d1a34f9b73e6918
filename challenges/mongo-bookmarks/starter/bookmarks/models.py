"""The documents."""

from __future__ import annotations

from mongoengine import Document, StringField


class Bookmark(Document):
    url = StringField()
    title = StringField()
    # To do: validation, unique URLs, tags

    def to_json(self) -> dict:
        return {"id": str(self.id), "url": self.url, "title": self.title, "tags": []}
