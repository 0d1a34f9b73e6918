"""A library API with Flask-RESTX. It works, but validates nothing and documents nothing."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_restx import Api, Namespace, Resource

api = Api(version="1.0", title="Library API", prefix="/api", doc="/api/docs")
ns = Namespace("books", description="Books in the library")


def books() -> dict[int, dict]:
    return current_app.extensions["books"]


@ns.route("/")
class BookList(Resource):
    """The collection of books."""

    def get(self):
        """List the books, optionally only one author's."""
        author = request.args.get("author")
        return [b for b in books().values() if author is None or b["author"] == author]

    def post(self):
        """Add a book."""
        book_id = max(books(), default=0) + 1
        books()[book_id] = {**ns.payload, "id": book_id}
        return books()[book_id], 201


@ns.route("/<int:book_id>")
class BookItem(Resource):
    """One book."""

    def get(self, book_id: int):
        """Fetch a book."""
        return books()[book_id]


api.add_namespace(ns)


def create_app() -> Flask:
    app = Flask(__name__)
    app.extensions["books"] = {}
    api.init_app(app)
    return app
