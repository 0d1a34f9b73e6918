"""Reading the request: complete create_app() as described in the statement."""

from flask import Flask, request


def create_app():
    app = Flask(__name__)
    notes = {}

    @app.route("/search")
    def search():
        return {"q": request.args.get("q"), "page": 1, "tags": []}

    @app.route("/notes")
    def list_notes():
        return {"notes": list(notes.values())}

    return app
