"""A small library with HTML pages and a JSON API, with friendly error handling."""

from __future__ import annotations

from flask import Flask, abort, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


class OutOfStock(Exception):
    """Raised when a book has no copy left to borrow."""

    def __init__(self, title: str) -> None:
        super().__init__(f"No copy of {title} is left")
        self.title = title


def create_app() -> Flask:
    app = Flask(__name__)
    books = {
        1: {"id": 1, "title": "Dune", "copies": 2},
        2: {"id": 2, "title": "Emma", "copies": 0},
        3: {"id": 3, "title": "Ulysses", "copies": 1},
    }

    def find_book(book_id: int) -> dict:
        book = books.get(book_id)
        if book is None:
            abort(404, description=f"There is no book with id {book_id}")
        return book

    @app.get("/")
    def home():
        return "<h1>Library</h1>"

    @app.get("/books/<int:book_id>")
    def book_page(book_id: int):
        return render_template("book.html", book=find_book(book_id))

    @app.get("/api/books")
    def list_books():
        raw = request.args.get("limit", "10")
        limit = int(raw) if raw.lstrip("-").isdigit() else 0
        if not 1 <= limit <= 50:
            abort(400, description="limit must be a whole number from 1 to 50")
        return jsonify(list(books.values())[:limit])

    @app.get("/api/books/<int:book_id>")
    def get_book(book_id: int):
        return jsonify(find_book(book_id))

    @app.post("/api/books/<int:book_id>/borrow")
    def borrow(book_id: int):
        book = find_book(book_id)
        if book["copies"] == 0:
            raise OutOfStock(book["title"])
        book["copies"] -= 1
        return jsonify(book)

    @app.get("/reports")
    def report():
        # This report still has a bug; leave it: it shows whether your 500 page works.
        loans = 0
        return f"Average loans per book: {len(books) / loans}"

    @app.errorhandler(409)
    def out_of_stock(error: OutOfStock):
        return jsonify(status=409, error="Out Of Stock", message=str(error)), 409

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith("/api/"):
            return jsonify(status=error.code, error=error.name, message=error.description), error.code
        if error.code == 404:
            return render_template("404.html", path=request.path), 404
        return error

    @app.errorhandler(500)
    def server_error(error):
        return render_template("500.html"), 500

    return app
