"""A library API with Flask-RESTX: the models validate input and document themselves."""

from __future__ import annotations

from flask import Flask, current_app
from flask_restx import Api, Namespace, Resource, fields

api = Api(version="1.0", title="Library API", prefix="/api", doc="/api/docs")
ns = Namespace("books", description="Books in the library")

book_model = ns.model("Book", {
    "id": fields.Integer(readonly=True, description="Assigned by the server"),
    "title": fields.String(required=True, min_length=1, max_length=200),
    "author": fields.String(required=True, min_length=1, max_length=100),
    "year": fields.Integer(min=1450, max=2100, description="Year of publication"),
}, strict=True)

list_query = ns.parser()
list_query.add_argument("author", type=str, location="args", help="Only the books by this author")


def books() -> dict[int, dict]:
    return current_app.extensions["books"]


def find_book(book_id: int) -> dict:
    book = books().get(book_id)
    if book is None:
        ns.abort(404, f"book {book_id} not found")
    return book


@ns.route("/")
class BookList(Resource):
    """The collection of books."""

    @ns.marshal_list_with(book_model)
    def get(self):
        """List the books, optionally only one author's."""
        author = list_query.parse_args()["author"]
        return [b for b in books().values() if author is None or b["author"] == author]

    @ns.expect(book_model, validate=True)
    @ns.marshal_with(book_model, code=201)
    @ns.response(400, "Validation error")
    def post(self):
        """Add a book."""
        payload = ns.payload
        book_id = max(books(), default=0) + 1
        book = {"id": book_id, "title": payload["title"], "author": payload["author"],
                "year": payload.get("year")}
        books()[book_id] = book
        return book, 201, {"Location": api.url_for(BookItem, book_id=book_id)}


@ns.route("/<int:book_id>")
@ns.param("book_id", "The book identifier")
@ns.response(404, "Book not found")
class BookItem(Resource):
    """One book."""

    @ns.marshal_with(book_model)
    def get(self, book_id: int):
        """Fetch a book."""
        return find_book(book_id)

    @ns.response(204, "Book deleted")
    def delete(self, book_id: int):
        """Remove a book."""
        find_book(book_id)
        del books()[book_id]
        return "", 204


api.add_namespace(ns)


def create_app() -> Flask:
    app = Flask(__name__)
    # a 404 message of our own, without RESTX's "did you mean ..." suggestion appended
    app.config["RESTX_ERROR_404_HELP"] = False
    app.extensions["books"] = {}
    api.init_app(app)
    return app
