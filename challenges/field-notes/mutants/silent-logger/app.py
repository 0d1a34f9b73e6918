import logging

import click
from flask import Flask, Response, current_app, jsonify, request, stream_with_context


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(NOTES_TITLE="Field notes")
    if test_config:
        app.config.update(test_config)
    app.extensions["notes"] = []
    # the logger keeps its default level

    @app.post("/notes")
    def add():
        payload = request.get_json(silent=True)
        text = payload.get("text") if isinstance(payload, dict) else None
        if not isinstance(text, str) or not text.strip():
            return jsonify(error="text is required"), 400
        return jsonify(add_note(text)), 201

    @app.get("/notes")
    def list_notes():
        return jsonify(current_app.extensions["notes"])

    @app.get("/notes/stream")
    def stream():
        def generate():
            for note in current_app.extensions["notes"]:
                yield f"{note['id']}: {note['text']}\n"
        return Response(stream_with_context(generate()), mimetype="text/plain")

    @app.cli.command("add-note")
    @click.argument("text")
    def add_note_command(text):
        note = add_note(text)
        click.echo(f"Added note {note['id']}")

    @app.cli.command("count-notes")
    def count_command():
        click.echo(str(len(current_app.extensions["notes"])))

    return app


def add_note(text):
    notes = current_app.extensions["notes"]
    note = {"id": len(notes) + 1, "text": text}
    notes.append(note)
    current_app.logger.info("note added: %s", note["id"])
    return note


def word_count(text):
    return len(text.split())
