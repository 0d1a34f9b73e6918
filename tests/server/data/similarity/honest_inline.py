"""Notes API: a JSON API for short notes (see the statement)."""

from flask import Flask, jsonify, request


def create_app():
    app = Flask(__name__)
    notes = {}

    @app.get("/notes")
    def list_notes():
        text = request.args.get("q")
        tag = request.args.get("tag")
        result = list(notes.values())
        if text:
            text = text.lower()
            result = [n for n in result
                      if text in n["title"].lower() or text in n["body"].lower()]
        if tag:
            result = [n for n in result if tag in n["tags"]]
        return jsonify(sorted(result, key=lambda n: n["id"]))

    @app.post("/notes")
    def add_note():
        data = request.get_json(silent=True) or {}
        title = data.get("title")
        if not isinstance(title, str) or not title.strip() or len(title) > 100:
            return jsonify({"error": "bad title"}), 400
        body = data.get("body", "")
        tags = data.get("tags", [])
        if not isinstance(body, str):
            return jsonify({"error": "bad body"}), 400
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            return jsonify({"error": "bad tags"}), 400
        new_id = max(notes) + 1 if notes else 1
        notes[new_id] = {"id": new_id, "title": title.strip(), "body": body, "tags": tags}
        response = jsonify(notes[new_id])
        response.status_code = 201
        response.headers["Location"] = "/notes/" + str(new_id)
        return response

    @app.route("/notes/<int:note_id>", methods=["GET", "PUT", "DELETE"])
    def one_note(note_id):
        note = notes.get(note_id)
        if note is None:
            return jsonify({"error": "note not found"}), 404
        if request.method == "GET":
            return jsonify(note)
        if request.method == "DELETE":
            del notes[note_id]
            return "", 204
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify({"error": "send JSON"}), 400
        if "title" in data:
            title = data["title"]
            if not isinstance(title, str) or not title.strip() or len(title) > 100:
                return jsonify({"error": "bad title"}), 400
            note["title"] = title.strip()
        if "body" in data:
            if not isinstance(data["body"], str):
                return jsonify({"error": "bad body"}), 400
            note["body"] = data["body"]
        if "tags" in data:
            if not isinstance(data["tags"], list):
                return jsonify({"error": "bad tags"}), 400
            note["tags"] = data["tags"]
        return jsonify(note)

    @app.get("/stats")
    def stats():
        tags = {}
        for note in notes.values():
            for t in note["tags"]:
                tags[t] = tags.get(t, 0) + 1
        return jsonify({"notes": len(notes), "tags": tags})

    @app.errorhandler(404)
    def page_not_found(e):
        return jsonify({"error": "not found"}), 404

    @app.errorhandler(405)
    def method_not_allowed(e):
        return jsonify({"error": "method not allowed"}), 405

    return app
