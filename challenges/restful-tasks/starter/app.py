"""A task list API built from Flask-RESTful resources."""

from __future__ import annotations

from flask import Flask, current_app
from flask_restful import Api, Resource, abort

api = Api()


def tasks() -> dict[int, dict]:
    return current_app.extensions["tasks"]


class TaskList(Resource):
    """The collection: list (optionally filtered) and create."""

    def get(self):
        return list(tasks().values())

    def post(self):
        abort(501, message="not implemented yet")


class Task(Resource):
    """One task: read, change, delete."""

    def get(self, task_id: int):
        abort(501, message="not implemented yet")


api.add_resource(TaskList, "/tasks", endpoint="tasks")
api.add_resource(Task, "/tasks/<int:task_id>", endpoint="task")


def create_app() -> Flask:
    app = Flask(__name__)
    app.extensions["tasks"] = {}
    api.init_app(app)
    return app
