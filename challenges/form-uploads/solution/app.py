"""A document box: a form with a file, validated, stored under a safe name and served back."""

import os

from flask import Flask, redirect, render_template, request, send_from_directory, url_for
from werkzeug.utils import secure_filename

TAGS = ["work", "personal", "finance"]
EXTENSIONS = {"pdf", "txt", "png", "jpg", "jpeg"}
MAX_TITLE = 100


def problem_with(title, tags, filename):
    """What is wrong with an upload, or None."""
    if not title:
        return "Give the document a title."
    if len(title) > MAX_TITLE:
        return f"The title may have at most {MAX_TITLE} characters."
    if any(tag not in TAGS for tag in tags):
        return "Choose tags from the list."
    if not filename:
        return "Choose a file to upload."
    stem, dot, extension = filename.rpartition(".")
    if not dot or not stem or extension.lower() not in EXTENSIONS:
        return "Upload a PDF, text or image file (pdf, txt, png, jpg, jpeg)."
    return None


def create_app():
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
    stored = {}

    def form(title="", tags=(), error=None, status=200):
        page = render_template(
            "upload.html", title=title, tags=list(tags), all_tags=TAGS, error=error
        )
        return page, status

    @app.get("/upload")
    def upload_form():
        return form()

    @app.post("/upload")
    def upload():
        title = request.form.get("title", "").strip()
        tags = request.form.getlist("tags")
        document = request.files.get("document")
        filename = secure_filename(document.filename or "") if document else ""
        error = problem_with(title, tags, filename)
        if error:
            return form(title, tags, error, 400)
        path = os.path.join(app.config["UPLOAD_FOLDER"], filename)
        document.save(path)
        stored[filename] = {
            "name": filename,
            "title": title,
            "tags": tags,
            "size": os.path.getsize(path),
        }
        return redirect(url_for("list_uploads"), code=303)

    @app.get("/uploads")
    def list_uploads():
        return {"files": [stored[name] for name in sorted(stored)]}

    @app.get("/uploads/<name>")
    def download(name):
        if name not in stored:
            return {"error": "No such file"}, 404
        return send_from_directory(app.config["UPLOAD_FOLDER"], name)

    return app
