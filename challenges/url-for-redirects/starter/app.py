"""Building URLs and redirecting: complete create_app() as described in the statement."""

from flask import Flask

BOOKS = {
    1: {"title": "Flask Web Development", "author": "Miguel Grinberg"},
    2: {"title": "Fluent Python", "author": "Luciano Ramalho"},
    3: {"title": "Two Scoops of Django", "author": "Audrey Roy Greenfeld"},
    4: {"title": "Python Crash Course", "author": "Eric Matthes"},
    5: {"title": "The Flask Mega-Tutorial", "author": "Miguel Grinberg"},
}


def create_app():
    app = Flask(__name__)
    books = {book_id: dict(book) for book_id, book in BOOKS.items()}

    @app.get("/books/<int:book_id>")
    def show_book(book_id):
        book = books[book_id]
        return {
            "id": book_id,
            "title": book["title"],
            "author": {"name": book["author"], "url": "/authors/" + book["author"]},
        }

    return app
