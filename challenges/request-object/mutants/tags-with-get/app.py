"""Reading the request: query strings, headers, a text body, and one route per method."""

from flask import Flask, request


def create_app():
    app = Flask(__name__)
    notes: dict[int, str] = {}
    next_id = [1]

    def note(note_id):
        return {"id": note_id, "text": notes[note_id]}

    def not_found():
        return {"error": "No note has this id"}, 404

    def body_text():
        return request.get_data(as_text=True).strip()

    @app.get("/search")
    def search():
        return {
            "q": request.args.get("q", ""),
            "page": request.args.get("page", 1, type=int),
            "tags": [request.args["tag"]] if "tag" in request.args else [],
        }

    @app.get("/whoami")
    def whoami():
        return {
            "agent": request.headers.get("User-Agent", ""),
            "client": request.headers.get("X-Client-Id", "anonymous"),
            "path": request.path,
        }

    @app.route("/notes", methods=["GET", "POST"])
    def notes_collection():
        if request.method == "GET":
            return {"notes": [note(note_id) for note_id in sorted(notes)]}
        text = body_text()
        if not text:
            return {"error": "A note needs some text in the request body"}, 400
        note_id = next_id[0]
        next_id[0] += 1
        notes[note_id] = text
        return note(note_id), 201

    @app.route("/notes/<int:note_id>", methods=["GET", "PUT", "DELETE"])
    def notes_item(note_id):
        if note_id not in notes:
            return not_found()
        if request.method == "PUT":
            text = body_text()
            if not text:
                return {"error": "A note needs some text in the request body"}, 400
            notes[note_id] = text
        elif request.method == "DELETE":
            del notes[note_id]
            return "", 204
        return note(note_id)

    return app
