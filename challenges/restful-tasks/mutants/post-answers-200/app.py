"""A task list API built from Flask-RESTful resources."""

from __future__ import annotations

from flask import Flask, current_app
from flask_restful import Api, Resource, abort, fields, inputs, marshal_with, reqparse

api = Api()

task_fields = {
    "id": fields.Integer(attribute="task_id"),
    "title": fields.String,
    "priority": fields.Integer,
    "done": fields.Boolean,
    "uri": fields.Url("task"),
}


def title_text(value: object) -> str:
    """A reqparse type: the title without surrounding blanks, never empty."""
    text = str(value).strip()
    if not text or len(text) > 100:
        raise ValueError("title must be 1 to 100 characters")
    return text


create_parser = reqparse.RequestParser()
create_parser.add_argument("title", type=title_text, required=True, nullable=False,
                           location="json", help="{error_msg}")
create_parser.add_argument("priority", type=int, choices=(1, 2, 3), default=2, location="json",
                           help="priority must be 1, 2 or 3")
create_parser.add_argument("done", type=inputs.boolean, default=False, location="json",
                           help="done must be true or false")

# PATCH sends only what changes: the same rules, nothing required, absent fields left out
update_parser = create_parser.copy()
for argument in update_parser.args:
    argument.required = False
    argument.store_missing = False

filter_parser = reqparse.RequestParser()
# inputs.boolean, not bool: bool("false") is True
filter_parser.add_argument("done", type=inputs.boolean, location="args",
                           help="done must be true or false")


def tasks() -> dict[int, dict]:
    return current_app.extensions["tasks"]


def find_task(task_id: int) -> dict:
    task = tasks().get(task_id)
    if task is None:
        abort(404, message=f"task {task_id} not found")
    return task


class TaskList(Resource):
    """The collection: list (optionally filtered) and create."""

    @marshal_with(task_fields)
    def get(self):
        done = filter_parser.parse_args().get("done")
        return [t for t in tasks().values() if done is None or t["done"] is done]

    @marshal_with(task_fields)
    def post(self):
        args = create_parser.parse_args()
        task_id = max(tasks(), default=0) + 1
        task = {"task_id": task_id, **args}
        tasks()[task_id] = task
        return task


class Task(Resource):
    """One task: read, change, delete."""

    @marshal_with(task_fields)
    def get(self, task_id: int):
        return find_task(task_id)

    @marshal_with(task_fields)
    def patch(self, task_id: int):
        task = find_task(task_id)
        task.update(update_parser.parse_args())
        return task

    def delete(self, task_id: int):
        find_task(task_id)
        del tasks()[task_id]
        return "", 204


api.add_resource(TaskList, "/tasks", endpoint="tasks")
api.add_resource(Task, "/tasks/<int:task_id>", endpoint="task")


def create_app() -> Flask:
    app = Flask(__name__)
    app.extensions["tasks"] = {}
    api.init_app(app)
    return app
