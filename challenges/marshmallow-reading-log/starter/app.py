"""A reading log API. It checks its input by hand: move that work into a Marshmallow schema."""

from __future__ import annotations

from flask import Flask, abort, current_app, jsonify, request
from flask_marshmallow import Marshmallow

ma = Marshmallow()


class BookSchema(ma.Schema):
    """A book as the API reads it from clients and writes it back."""

    # Declare the fields here: id, title, author, pages, finished_on, tags and url.


def books() -> dict[int, dict]:
    return current_app.extensions["books"]


def find_book(book_id: int) -> dict:
    book = books().get(book_id)
    if book is None:
        abort(404, description=f"book {book_id} not found")
    return book


def create_app() -> Flask:
    app = Flask(__name__)
    ma.init_app(app)
    app.extensions["books"] = {}

    @app.errorhandler(404)
    def not_found(error):
        return jsonify(error=error.description), 404

    @app.get("/books")
    def book_list():
        return jsonify(list(books().values()))

    @app.post("/books")
    def book_create():
        data = request.get_json(silent=True) or {}
        if not data.get("title"):
            return jsonify(errors={"title": ["Missing data for required field."]}), 400
        book_id = max(books(), default=0) + 1
        books()[book_id] = {**data, "id": book_id}
        return jsonify(books()[book_id]), 201

    @app.get("/books/<int:book_id>")
    def book_detail(book_id: int):
        return jsonify(find_book(book_id))

    @app.patch("/books/<int:book_id>")
    def book_update(book_id: int):
        book = find_book(book_id)
        book.update(request.get_json(silent=True) or {})
        return jsonify(book)

    return app
