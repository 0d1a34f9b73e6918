"""The JSON API: authors, books, and a paginated, filtered book list."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .models import Author, Book, db

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
    try:
        db.session.commit()
    except IntegrityError:
        # the failed flush leaves the session unusable until it is rolled back
        db.session.rollback()
        existing = db.session.scalar(select(Author).filter_by(name=author.name))
        return {"error": "an author with this name exists", "id": existing.id}, 409
    return author.to_json(), 201


@bp.get("/authors/<int:author_id>")
def one_author(author_id: int):
    return db.get_or_404(Author, author_id, description="no such author").to_json()


@bp.delete("/authors/<int:author_id>")
def delete_author(author_id: int):
    db.session.delete(db.get_or_404(Author, author_id, description="no such author"))
    db.session.commit()
    return "", 204


@bp.post("/books")
def create_book():
    data = body()
    title, year = text(data, "title", 200), whole_number(data, "year")
    author = db.get_or_404(Author, whole_number(data, "author_id"), description="no such author")
    book = Book(title=title, year=year, author=author)
    db.session.add(book)
    db.session.commit()
    return book.to_json(), 201


@bp.get("/books")
def list_books():
    query = select(Book).options(selectinload(Book.author)).order_by(Book.year, Book.id)
    author_id = request.args.get("author", type=int)
    if author_id is not None:
        query = query.filter_by(author_id=author_id)
    since = request.args.get("since", type=int)
    if since is not None:
        query = query.where(Book.year >= since)
    page = db.paginate(query, per_page=current_app.config["BOOKS_PER_PAGE"], max_per_page=None)
    return {
        "books": [b.to_json() for b in page.items],
        "page": page.page,
        "pages": page.pages,
        "total": page.total,
    }
