"""Streaming responses: complete create_app() as described in the statement."""

from flask import Flask, Response, request

CONTACTS = [
    {"id": 1, "name": "Ann Lee", "email": "ann@example.com", "city": "Lyon"},
    {"id": 2, "name": "Doe, Jane", "email": "jane@example.com", "city": "Paris"},
    {"id": 3, "name": 'Bob "The Builder"', "email": "bob@example.com", "city": "Nantes"},
    {"id": 4, "name": "Chloé Martin", "email": "chloe@example.com", "city": "Lille"},
]
FIELDS = ["id", "name", "email", "city"]


def create_app():
    app = Flask(__name__)

    @app.get("/countdown")
    def countdown():
        start = request.args.get("start", 10, type=int)
        text = "".join(f"{n}\n" for n in range(start, 0, -1)) + "liftoff\n"
        return Response(text, mimetype="text/plain")

    return app
