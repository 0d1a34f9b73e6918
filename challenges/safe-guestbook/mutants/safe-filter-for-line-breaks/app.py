"""A guestbook: visitors sign it with a name, a message and an optional website."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, jsonify, redirect, render_template, request, url_for


def validate(form: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Clean the submitted fields; return them with a list of problems (empty when valid)."""
    entry = {key: form.get(key, "").strip() for key in ("name", "message", "website")}
    errors = []
    if not 1 <= len(entry["name"]) <= 40:
        errors.append("Name must be 1 to 40 characters.")
    if not 1 <= len(entry["message"]) <= 500:
        errors.append("Message must be 1 to 500 characters.")
    if entry["website"]:
        # autoescaping cannot help inside href: a javascript: URL is perfectly valid HTML
        parts = urlsplit(entry["website"])
        if parts.scheme not in ("http", "https") or not parts.netloc:
            errors.append("Website must be an http:// or https:// address.")
    return entry, errors


def create_app() -> Flask:
    app = Flask(__name__)
    app.extensions["entries"] = []

    def page(errors: list[str], form: dict[str, str], status: int = 200):
        entries = app.extensions["entries"]
        last_name = entries[-1]["name"] if entries else ""
        html = render_template("guestbook.html", entries=entries, last_name=last_name,
                               errors=errors, form=form)
        return html, status

    @app.get("/")
    def guestbook():
        return page([], {})

    @app.post("/entries")
    def sign():
        entry, errors = validate(request.form)
        if errors:
            return page(errors, entry, 400)
        app.extensions["entries"].append(entry)
        return redirect(url_for("guestbook"), 303)

    @app.get("/search")
    def search():
        q = request.args.get("q", "")
        found = [e for e in app.extensions["entries"] if q.lower() in e["message"].lower()]
        return render_template("search.html", q=q, found=found)

    @app.get("/api/entries")
    def api_entries():
        return jsonify(app.extensions["entries"])

    return app
