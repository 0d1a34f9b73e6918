"""The documents."""

from __future__ import annotations

from mongoengine import Document, ListField, StringField, URLField


class Bookmark(Document):
    url = URLField(required=True, unique=True)
    title = StringField(required=True, max_length=200)
    tags = ListField(StringField(max_length=30))

    def to_json(self) -> dict:
        return {"id": str(self.id), "url": self.url, "title": self.title, "tags": list(self.tags)}
