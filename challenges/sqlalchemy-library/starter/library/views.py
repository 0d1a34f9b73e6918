"""The JSON API: authors, books, and a paginated, filtered book list."""

from __future__ import annotations

from flask import Blueprint, abort, request

from .models import Author, db

bp = Blueprint("library", __name__)


def body() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def text(data: dict, name: str, longest: int) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > longest:
        abort(400, f"{name} must be a non-blank string of at most {longest} characters")
    return value


def whole_number(data: dict, name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        abort(400, f"{name} must be a whole number")
    return value


@bp.post("/authors")
def create_author():
    author = Author(name=text(body(), "name", 100))
    db.session.add(author)
    db.session.commit()  # To do: a name that is taken is a 409
    return author.to_json(), 201


@bp.get("/authors/<int:author_id>")
def one_author(author_id: int):
    return db.get_or_404(Author, author_id, description="no such author").to_json()


# To do: DELETE /authors/<id>, POST /books, GET /books
