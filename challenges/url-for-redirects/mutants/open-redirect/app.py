"""Building URLs with url_for and answering with the right kind of redirect."""

from flask import Flask, redirect, request, url_for

BOOKS = {
    1: {"title": "Flask Web Development", "author": "Miguel Grinberg"},
    2: {"title": "Fluent Python", "author": "Luciano Ramalho"},
    3: {"title": "Two Scoops of Django", "author": "Audrey Roy Greenfeld"},
    4: {"title": "Python Crash Course", "author": "Eric Matthes"},
    5: {"title": "The Flask Mega-Tutorial", "author": "Miguel Grinberg"},
}
PAGE_SIZE = 2


def is_local_path(target):
    """Only paths on this site: "//evil.example" and "/\\evil.example" leave it."""
    return target.startswith("/") and not target.startswith(("//", "/\\"))


def create_app():
    app = Flask(__name__)
    books = {book_id: dict(book) for book_id, book in BOOKS.items()}

    def not_found(what):
        return {"error": f"No such {what}"}, 404

    @app.get("/")
    def index():
        return redirect(url_for("list_books"))

    @app.get("/books")
    def list_books():
        page = request.args.get("page", 1, type=int)
        ids = sorted(books)
        last_page = (len(ids) + PAGE_SIZE - 1) // PAGE_SIZE
        if not 1 <= page <= last_page:
            return not_found("page")
        shown = ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        return {
            "books": [
                {
                    "id": book_id,
                    "title": books[book_id]["title"],
                    "url": url_for("show_book", book_id=book_id),
                }
                for book_id in shown
            ],
            "page": page,
            "next": url_for("list_books", page=page + 1) if page < last_page else None,
            "prev": url_for("list_books", page=page - 1) if page > 1 else None,
        }

    @app.get("/books/<int:book_id>")
    def show_book(book_id):
        if book_id not in books:
            return not_found("book")
        book = books[book_id]
        return {
            "id": book_id,
            "title": book["title"],
            "author": {"name": book["author"], "url": url_for("author", name=book["author"])},
            "self": url_for("show_book", book_id=book_id, _external=True),
        }

    @app.get("/authors/<name>")
    def author(name):
        written = [
            url_for("show_book", book_id=book_id)
            for book_id in sorted(books)
            if books[book_id]["author"] == name
        ]
        if not written:
            return not_found("author")
        return {"name": name, "books": written}

    @app.get("/old-books/<int:book_id>")
    def old_book(book_id):
        return redirect(url_for("show_book", book_id=book_id), code=301)

    @app.post("/books")
    def create_book():
        data = request.get_json(silent=True)
        data = data if isinstance(data, dict) else {}
        title, writer = data.get("title"), data.get("author")
        if not all(isinstance(v, str) and v.strip() for v in (title, writer)):
            return {"error": "title and author must be non-empty strings"}, 400
        book_id = max(books) + 1
        books[book_id] = {"title": title.strip(), "author": writer.strip()}
        return redirect(url_for("show_book", book_id=book_id), code=303)

    @app.get("/go")
    def go():
        target = request.args.get("next", "")
        if not target:
            target = url_for("list_books")
        return redirect(target)

    return app
