"""Notes API: a JSON API for short notes (see the statement)."""

from flask import Flask, jsonify, request


def create_app():
    app = Flask(__name__)
    notes = {}
    counter = {"next": 1}

    def error(message, status):
        return jsonify({"error": message}), status

    def check_note(data, partial=False):
        if not isinstance(data, dict):
            return "send a JSON object"
        if "title" in data or not partial:
            title = data.get("title")
            if not isinstance(title, str) or not title.strip():
                return "title must be a non-empty string"
            if len(title) > 100:
                return "title is longer than 100 characters"
        if "body" in data and not isinstance(data["body"], str):
            return "body must be a string"
        if "tags" in data:
            tags = data["tags"]
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                return "tags must be a list of strings"
        return None

    @app.get("/notes")
    def list_notes():
        q = request.args.get("q", "").lower()
        tag = request.args.get("tag")
        found = []
        for note_id in sorted(notes):
            note = notes[note_id]
            if q and q not in note["title"].lower() and q not in note["body"].lower():
                continue
            if tag and tag not in note["tags"]:
                continue
            found.append(note)
        return jsonify(found)

    @app.post("/notes")
    def create_note():
        data = request.get_json(silent=True)
        problem = check_note(data)
        if problem:
            return error(problem, 400)
        note = {"id": counter["next"], "title": data["title"].strip(),
                "body": data.get("body", ""), "tags": data.get("tags", [])}
        notes[note["id"]] = note
        counter["next"] += 1
        return jsonify(note), 201, {"Location": f"/notes/{note['id']}"}

    @app.get("/notes/<int:note_id>")
    def get_note(note_id):
        if note_id not in notes:
            return error("no such note", 404)
        return jsonify(notes[note_id])

    @app.put("/notes/<int:note_id>")
    def update_note(note_id):
        if note_id not in notes:
            return error("no such note", 404)
        data = request.get_json(silent=True)
        problem = check_note(data, partial=True)
        if problem:
            return error(problem, 400)
        note = notes[note_id]
        for field in ("title", "body", "tags"):
            if field in data:
                note[field] = data[field].strip() if field == "title" else data[field]
        return jsonify(note)

    @app.delete("/notes/<int:note_id>")
    def delete_note(note_id):
        if notes.pop(note_id, None) is None:
            return error("no such note", 404)
        return "", 204

    @app.get("/stats")
    def stats():
        per_tag = {}
        for note in notes.values():
            for tag in note["tags"]:
                per_tag[tag] = per_tag.get(tag, 0) + 1
        return jsonify({"notes": len(notes), "tags": per_tag})

    @app.errorhandler(404)
    def not_found(exc):
        return error("not found", 404)

    @app.errorhandler(405)
    def not_allowed(exc):
        return error("method not allowed", 405)

    return app
