"""A reading log whose JSON goes in and comes out through one Marshmallow schema."""

from __future__ import annotations

import datetime as dt

from flask import Flask, abort, current_app, jsonify, request
from flask_marshmallow import Marshmallow
from marshmallow import EXCLUDE, ValidationError, validate, validates

ma = Marshmallow()


class BookSchema(ma.Schema):
    """A book as the API reads it from clients and writes it back."""

    class Meta:
        # clients sent fields we do not know and got errors: drop them quietly instead
        unknown = EXCLUDE

    id = ma.Integer(dump_only=True)
    title = ma.String(required=True, validate=validate.Length(min=1, max=200))
    author = ma.String(required=True, validate=validate.Length(min=1, max=100))
    pages = ma.Integer(required=True, validate=validate.Range(min=1))
    finished_on = ma.Date(load_default=None, allow_none=True)
    tags = ma.List(ma.String(validate=validate.Length(min=1, max=30)), load_default=list)
    url = ma.URLFor("book_detail", values={"book_id": "<id>"})

    @validates("finished_on")
    def not_in_the_future(self, value: dt.date | None, **kwargs) -> None:
        if value is not None and value > dt.date.today():
            raise ValidationError("A book cannot be finished in the future.")


book_schema = BookSchema()
books_schema = BookSchema(many=True)
patch_schema = BookSchema(partial=True)


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

    @app.errorhandler(ValidationError)
    def invalid(error: ValidationError):
        return jsonify(errors=error.messages), 422

    @app.errorhandler(404)
    def not_found(error):
        return jsonify(error=error.description), 404

    @app.get("/books")
    def book_list():
        return jsonify(books_schema.dump(books().values()))

    @app.post("/books")
    def book_create():
        data = book_schema.load(request.get_json(silent=True))
        book_id = max(books(), default=0) + 1
        books()[book_id] = {**data, "id": book_id}
        body = book_schema.dump(books()[book_id])
        return jsonify(body), 201, {"Location": body["url"]}

    @app.get("/books/<int:book_id>")
    def book_detail(book_id: int):
        return jsonify(book_schema.dump(find_book(book_id)))

    @app.patch("/books/<int:book_id>")
    def book_update(book_id: int):
        book = find_book(book_id)
        # partial: a PATCH sends only the fields it changes; the rest stay as they are
        changes = patch_schema.load(request.get_json(silent=True))
        book.update(changes)
        return jsonify(book_schema.dump(book))

    return app
