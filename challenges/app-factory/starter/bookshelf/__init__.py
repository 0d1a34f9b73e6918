"""The bookshelf application package: complete create_app() as described in the statement."""

from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__)
    app.config["SHELF_NAME"] = "My shelf"

    @app.get("/")
    def index():
        return {"shelf": app.config["SHELF_NAME"]}

    return app
