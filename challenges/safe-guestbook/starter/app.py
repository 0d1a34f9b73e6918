"""A guestbook: visitors sign it with a name, a message and an optional website."""

from __future__ import annotations

from flask import Flask, jsonify, redirect, render_template, request, url_for


def create_app() -> Flask:
    app = Flask(__name__)
    app.extensions["entries"] = []

    @app.get("/")
    def guestbook():
        entries = app.extensions["entries"]
        last_name = entries[-1]["name"] if entries else ""
        return render_template("guestbook.html", entries=entries, last_name=last_name, errors=[], form={})

    @app.post("/entries")
    def sign():
        entry = {
            "name": request.form.get("name", ""),
            "message": request.form.get("message", ""),
            "website": request.form.get("website", ""),
        }
        app.extensions["entries"].append(entry)
        return redirect(url_for("guestbook"), 303)

    @app.get("/search")
    def search():
        q = request.args.get("q", "")
        found = [e for e in app.extensions["entries"] if q.lower() in e["message"].lower()]
        items = "".join(f"<li>{e['name']}: {e['message']}</li>" for e in found)
        return f"<h1>Results for {q}</h1><ul>{items}</ul>"

    @app.get("/api/entries")
    def api_entries():
        return jsonify(app.extensions["entries"])

    return app
