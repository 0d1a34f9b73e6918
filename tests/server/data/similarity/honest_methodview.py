"""Notes API written with class-based views."""

from flask import Flask, jsonify, request
from flask.views import MethodView
from werkzeug.exceptions import BadRequest, HTTPException, NotFound

MAX_TITLE = 100


def clean(data, creating):
    """Validate a note sent by a client; return the fields to store."""
    if not isinstance(data, dict):
        raise BadRequest("expected a JSON object")
    fields = {}
    if creating or "title" in data:
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            raise BadRequest("the title is required")
        if len(title) > MAX_TITLE:
            raise BadRequest(f"the title has more than {MAX_TITLE} characters")
        fields["title"] = title.strip()
    if "body" in data:
        if not isinstance(data["body"], str):
            raise BadRequest("the body is text")
        fields["body"] = data["body"]
    if "tags" in data:
        tags = data["tags"]
        if not (isinstance(tags, list) and all(isinstance(x, str) for x in tags)):
            raise BadRequest("tags are a list of strings")
        fields["tags"] = tags
    return fields


class NotesAPI(MethodView):
    def __init__(self, db):
        self.db = db

    def get(self):
        words = request.args.get("q", "").lower()
        wanted = request.args.get("tag")
        matches = [n for n in self.db["notes"]
                   if (not words or words in n["title"].lower() or words in n["body"].lower())
                   and (wanted is None or wanted in n["tags"])]
        return jsonify(matches)

    def post(self):
        fields = clean(request.get_json(silent=True), creating=True)
        self.db["last"] += 1
        note = {"id": self.db["last"], "title": fields["title"],
                "body": fields.get("body", ""), "tags": fields.get("tags", [])}
        self.db["notes"].append(note)
        return jsonify(note), 201, {"Location": "/notes/%d" % note["id"]}


class NoteAPI(MethodView):
    def __init__(self, db):
        self.db = db

    def lookup(self, note_id):
        for note in self.db["notes"]:
            if note["id"] == note_id:
                return note
        raise NotFound("there is no note %d" % note_id)

    def get(self, note_id):
        return jsonify(self.lookup(note_id))

    def put(self, note_id):
        note = self.lookup(note_id)
        note.update(clean(request.get_json(silent=True), creating=False))
        return jsonify(note)

    def delete(self, note_id):
        self.db["notes"].remove(self.lookup(note_id))
        return "", 204


def create_app():
    app = Flask(__name__)
    db = {"notes": [], "last": 0}
    app.add_url_rule("/notes", view_func=NotesAPI.as_view("notes", db))
    app.add_url_rule("/notes/<int:note_id>", view_func=NoteAPI.as_view("note", db))

    @app.route("/stats")
    def stats():
        tags = {}
        for note in db["notes"]:
            for tag in note["tags"]:
                tags[tag] = tags.get(tag, 0) + 1
        return jsonify({"notes": len(db["notes"]), "tags": tags})

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return jsonify({"error": exc.description}), exc.code

    return app
