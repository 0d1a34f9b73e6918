"""A JSON to-do API: every request body checked, every answer (errors too) a JSON object."""

from datetime import date

from flask import Flask, request


class Invalid(Exception):
    """A request body that breaks the rules; the message is sent to the client."""


def error(message, status):
    return {"error": message}, status


def parse_fields(data, partial):
    """Check the fields of a POST (partial=False) or PATCH (partial=True) body."""
    fields = {}
    if "title" in data or not partial:
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            raise Invalid("title must be a non-empty string")
        fields["title"] = title.strip()
    if "done" in data:
        fields["done"] = bool(data["done"])
    if not partial and data.get("due") is not None:
        try:
            fields["due"] = date.fromisoformat(data["due"])
        except (TypeError, ValueError):
            raise Invalid("due must be a date written YYYY-MM-DD") from None
    if not partial and "tags" in data:
        tags = data["tags"]
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise Invalid("tags must be a list of strings")
        fields["tags"] = tags
    return fields


def json_body():
    """The request's JSON object, or an error answer."""
    if not request.is_json:
        return None, error("Send JSON with Content-Type: application/json", 415)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None, error("The body must be a JSON object", 400)
    return data, None


def create_app():
    app = Flask(__name__)
    todos = {}

    def as_json(todo):
        due = todo["due"]
        return {**todo, "due": due.isoformat() if due else None}

    @app.get("/api/todos")
    def list_todos():
        items = [todos[todo_id] for todo_id in sorted(todos)]
        wanted = request.args.get("done")
        if wanted in ("true", "false"):
            items = [todo for todo in items if todo["done"] == (wanted == "true")]
        return {"todos": [as_json(todo) for todo in items], "count": len(items)}

    @app.post("/api/todos")
    def create_todo():
        data, problem = json_body()
        if problem:
            return problem
        try:
            fields = parse_fields(data, partial=False)
        except Invalid as exc:
            return error(str(exc), 400)
        todo_id = max(todos, default=0) + 1
        todos[todo_id] = {
            "id": todo_id,
            "title": fields["title"],
            "done": fields.get("done", False),
            "due": fields.get("due"),
            "tags": fields.get("tags", []),
        }
        return as_json(todos[todo_id]), 201

    @app.get("/api/todos/<int:todo_id>")
    def get_todo(todo_id):
        if todo_id not in todos:
            return error("No to-do has this id", 404)
        return as_json(todos[todo_id])

    @app.patch("/api/todos/<int:todo_id>")
    def update_todo(todo_id):
        if todo_id not in todos:
            return error("No to-do has this id", 404)
        data, problem = json_body()
        if problem:
            return problem
        try:
            fields = parse_fields(data, partial=True)
        except Invalid as exc:
            return error(str(exc), 400)
        todos[todo_id].update(fields)
        return as_json(todos[todo_id])

    return app
