"""Notes API: notes are dataclasses kept in the app's extensions."""

from dataclasses import asdict, dataclass, field

from flask import Flask, current_app, jsonify, request


@dataclass
class Note:
    id: int
    title: str
    body: str = ""
    tags: list = field(default_factory=list)

    def matches(self, query, tag):
        text = f"{self.title}\n{self.body}".lower()
        return (not query or query.lower() in text) and (not tag or tag in self.tags)


class ApiError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def notes():
    return current_app.extensions["notes"]


def read_json(new):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "JSON object expected")
    if new and "title" not in data:
        raise ApiError(400, "title missing")
    if "title" in data:
        if not isinstance(data["title"], str) or not 0 < len(data["title"].strip()) <= 100:
            raise ApiError(400, "title: 1-100 characters")
    if not isinstance(data.get("body", ""), str):
        raise ApiError(400, "body: a string")
    tags = data.get("tags", [])
    if not isinstance(tags, list) or [t for t in tags if not isinstance(t, str)]:
        raise ApiError(400, "tags: strings only")
    return data


def note_or_404(note_id):
    try:
        return notes()[note_id]
    except KeyError:
        raise ApiError(404, f"note {note_id} not found") from None


def create_app():
    app = Flask(__name__)
    app.extensions["notes"] = {}

    @app.errorhandler(ApiError)
    def api_error(exc):
        return jsonify(error=exc.message), exc.status

    @app.errorhandler(404)
    def missing(_):
        return jsonify(error="not found"), 404

    @app.errorhandler(405)
    def wrong_method(_):
        return jsonify(error="method not allowed"), 405

    @app.route("/notes")
    def index():
        query, tag = request.args.get("q"), request.args.get("tag")
        shown = [asdict(n) for _, n in sorted(notes().items()) if n.matches(query, tag)]
        return jsonify(shown)

    @app.route("/notes", methods=["POST"])
    def create():
        data = read_json(new=True)
        note = Note(id=max(notes(), default=0) + 1, title=data["title"].strip(),
                    body=data.get("body", ""), tags=list(data.get("tags", [])))
        notes()[note.id] = note
        return jsonify(asdict(note)), 201, {"Location": f"/notes/{note.id}"}

    @app.route("/notes/<int:note_id>")
    def show(note_id):
        return jsonify(asdict(note_or_404(note_id)))

    @app.route("/notes/<int:note_id>", methods=["PUT"])
    def edit(note_id):
        note = note_or_404(note_id)
        data = read_json(new=False)
        note.title = data.get("title", note.title).strip()
        note.body = data.get("body", note.body)
        note.tags = list(data.get("tags", note.tags))
        return jsonify(asdict(note))

    @app.route("/notes/<int:note_id>", methods=["DELETE"])
    def remove(note_id):
        notes().pop(note_or_404(note_id).id)
        return "", 204

    @app.route("/stats")
    def statistics():
        counts = {}
        for note in notes().values():
            for tag in note.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return jsonify(notes=len(notes()), tags=counts)

    return app
