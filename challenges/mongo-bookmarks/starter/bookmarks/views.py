"""The JSON API over bookmarks."""

from __future__ import annotations

from flask import Blueprint

from .models import Bookmark

bp = Blueprint("bookmarks", __name__)


@bp.get("/bookmarks")
def all_bookmarks():
    return [bookmark.to_json() for bookmark in Bookmark.objects]


# To do: POST /bookmarks, GET and DELETE /bookmarks/<id>, POST /bookmarks/<id>/tags
