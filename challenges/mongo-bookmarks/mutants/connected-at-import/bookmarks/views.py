"""The JSON API over bookmarks."""

from __future__ import annotations

from bson import ObjectId
from flask import Blueprint, abort, request
from mongoengine.errors import NotUniqueError, ValidationError

from .models import Bookmark

bp = Blueprint("bookmarks", __name__)


def body() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def find(bookmark_id: str) -> Bookmark:
    # a malformed id would make MongoEngine raise ValidationError: for the client it is not found
    if not ObjectId.is_valid(bookmark_id):
        abort(404, "no such bookmark")
    bookmark = Bookmark.objects(id=bookmark_id).first()
    if bookmark is None:
        abort(404, "no such bookmark")
    return bookmark


@bp.get("/bookmarks")
def all_bookmarks():
    query = Bookmark.objects.order_by("-id")
    tag = request.args.get("tag")
    if tag:
        query = query.filter(tags=tag)
    return [bookmark.to_json() for bookmark in query]


@bp.post("/bookmarks")
def create_bookmark():
    data = body()
    bookmark = Bookmark(url=data.get("url"), title=data.get("title"), tags=data.get("tags", []))
    try:
        bookmark.save()
    except ValidationError as exc:
        return {"error": str(exc), "fields": {k: str(v) for k, v in exc.to_dict().items()}}, 400
    except NotUniqueError:
        return {"error": "this URL is bookmarked already"}, 409
    return bookmark.to_json(), 201


@bp.get("/bookmarks/<bookmark_id>")
def one_bookmark(bookmark_id: str):
    return find(bookmark_id).to_json()


@bp.delete("/bookmarks/<bookmark_id>")
def delete_bookmark(bookmark_id: str):
    find(bookmark_id).delete()
    return "", 204


@bp.post("/bookmarks/<bookmark_id>/tags")
def add_tag(bookmark_id: str):
    bookmark = find(bookmark_id)
    tag = body().get("tag")
    if not isinstance(tag, str) or not tag.strip() or len(tag) > 30:
        abort(400, "tag must be a non-blank string of at most 30 characters")
    # one atomic update on the server, and a tag that is there already is not added twice
    bookmark.update(add_to_set__tags=tag)
    bookmark.reload()
    return bookmark.to_json()
