"""A document box: complete create_app() and fix the form as described in the statement."""

from flask import Flask, render_template

TAGS = ["work", "personal", "finance"]


def create_app():
    app = Flask(__name__)

    @app.get("/upload")
    def upload_form():
        return render_template("upload.html", title="", tags=[], all_tags=TAGS, error=None)

    return app
