"""Typed URL parameters: complete the routes described in the statement."""

from flask import Flask, abort
from werkzeug.routing import BaseConverter

BOOKS = {
    1: "Flask Web Development",
    2: "Fluent Python",
    3: "Architecture Patterns with Python",
}


class HexColorConverter(BaseConverter):
    """Six hexadecimal digits in the URL, a tuple of three integers in Python."""

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


app = Flask(__name__)


@app.route("/hello/<name>")
def hello(name):
    return {"greeting": f"Hello {name}"}


@app.route("/books/<book_id>")
def book(book_id):
    if book_id not in BOOKS:
        abort(404)
    return {"id": book_id, "title": BOOKS[book_id]}
