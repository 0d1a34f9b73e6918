"""A small library with HTML pages and a JSON API, and (soon) good error handling."""

from __future__ import annotations

from flask import Flask, abort, jsonify, render_template, request


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

    @app.get("/")
    def home():
        return "<h1>Library</h1>"

    @app.get("/books/<int:book_id>")
    def book_page(book_id: int):
        return render_template("book.html", book=books[book_id])

    @app.get("/api/books")
    def list_books():
        limit = int(request.args.get("limit", 10))
        return jsonify(list(books.values())[:limit])

    @app.get("/api/books/<int:book_id>")
    def get_book(book_id: int):
        return jsonify(books[book_id])

    @app.post("/api/books/<int:book_id>/borrow")
    def borrow(book_id: int):
        book = books[book_id]
        book["copies"] -= 1
        return jsonify(book)

    @app.get("/reports")
    def report():
        # This report still has a bug; leave it: it shows whether your 500 page works.
        loans = 0
        return f"Average loans per book: {len(books) / loans}"

    return app
