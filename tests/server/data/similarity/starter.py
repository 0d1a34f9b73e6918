"""Notes API: a JSON API for short notes (see the statement)."""

from flask import Flask, jsonify, request


def create_app():
    app = Flask(__name__)
    notes = {}

    @app.get("/notes")
    def list_notes():
        # TODO: filter with ?q= and ?tag=, newest last
        return jsonify([])

    return app
