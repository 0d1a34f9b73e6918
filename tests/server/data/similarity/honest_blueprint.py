"""Notes API with a blueprint and a small store class."""

from collections import Counter
from itertools import count

from flask import Blueprint, Flask, abort, jsonify, request

api = Blueprint("notes", __name__)


class NoteStore:
    """Keeps the notes in memory, in the order they were written."""

    def __init__(self):
        self._ids = count(1)
        self.rows = {}

    def add(self, title, body, tags):
        ident = next(self._ids)
        self.rows[ident] = dict(id=ident, title=title, body=body, tags=list(tags))
        return self.rows[ident]

    def find(self, ident):
        row = self.rows.get(ident)
        if row is None:
            abort(404, description=f"note {ident} does not exist")
        return row

    def search(self, text=None, tag=None):
        text = (text or "").casefold()
        result = []
        for row in self.rows.values():
            haystack = (row["title"] + " " + row["body"]).casefold()
            if text and text not in haystack:
                continue
            if tag is not None and tag not in row["tags"]:
                continue
            result.append(row)
        return result


store = NoteStore()


def payload(required):
    body = request.get_json(silent=True)
    if type(body) is not dict:
        abort(400, description="the body must be a JSON object")
    title = body.get("title")
    if required or "title" in body:
        if type(title) is not str or title.strip() == "" or len(title) > 100:
            abort(400, description="a title of 1 to 100 characters is required")
    if type(body.get("body", "")) is not str:
        abort(400, description="body must be text")
    tags = body.get("tags", [])
    if type(tags) is not list or any(type(tag) is not str for tag in tags):
        abort(400, description="tags must be a list of strings")
    return body


@api.route("/notes", methods=["GET", "POST"])
def notes_collection():
    if request.method == "GET":
        return jsonify(store.search(request.args.get("q"), request.args.get("tag")))
    body = payload(required=True)
    row = store.add(body["title"].strip(), body.get("body", ""), body.get("tags", []))
    response = jsonify(row)
    response.status_code = 201
    response.headers["Location"] = f"/notes/{row['id']}"
    return response


@api.route("/notes/<int:ident>", methods=["GET", "PUT", "DELETE"])
def note_item(ident):
    row = store.find(ident)
    if request.method == "DELETE":
        del store.rows[ident]
        return "", 204
    if request.method == "PUT":
        body = payload(required=False)
        if "title" in body:
            row["title"] = body["title"].strip()
        row.update({key: body[key] for key in ("body", "tags") if key in body})
    return jsonify(row)


@api.get("/stats")
def tag_stats():
    tally = Counter(tag for row in store.rows.values() for tag in row["tags"])
    return jsonify(notes=len(store.rows), tags=dict(tally))


def as_json(error):
    return jsonify(error=error.description), error.code


def create_app():
    global store
    store = NoteStore()
    app = Flask(__name__)
    app.register_blueprint(api)
    for code in (400, 404, 405):
        app.register_error_handler(code, as_json)
    return app
