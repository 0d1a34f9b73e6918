"""Typed URL parameters: built-in converters and a custom one."""

from flask import Flask, abort
from werkzeug.routing import BaseConverter

BOOKS = {
    1: "Flask Web Development",
    2: "Fluent Python",
    3: "Architecture Patterns with Python",
}


class HexColorConverter(BaseConverter):
    """Six hexadecimal digits in the URL, a tuple of three integers in Python."""

    regex = r"[0-9a-fA-F]{6}"

    def to_python(self, value):
        return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


app = Flask(__name__)
app.url_map.converters["hexcolor"] = HexColorConverter


@app.route("/hello/<name>")
def hello(name):
    return {"greeting": f"Hello, {name}!"}


@app.route("/books/<int:book_id>")
def book(book_id):
    if book_id not in BOOKS:
        abort(404)
    return {"id": book_id, "title": BOOKS[book_id]}


@app.route("/files/<path:filepath>")
def file_info(filepath):
    return {"path": filepath, "parts": filepath.split("/")}


@app.route("/calendar/<int:year>/week/<int(min=1, max=53):week>")
def calendar_week(year, week):
    return {"year": year, "week": week}


@app.route("/colors/<hexcolor:color>")
def color(color):
    red, green, blue = color
    return {"hex": f"#{red:02x}{green:02x}{blue:02x}", "rgb": list(color)}
