"""A signup page: turn it into a Flask-WTF form and protect every form from CSRF."""

from __future__ import annotations

import os

from flask import Flask, redirect, render_template, request, url_for


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
    members: dict[str, str] = {}
    subscribers: list[str] = []

    @app.route("/signup", methods=["GET", "POST"])
    def signup():
        # Nothing is checked here yet: replace this with a FlaskForm and its validators.
        if request.method == "POST":
            members[request.form.get("username", "").lower()] = request.form.get("email", "")
            return redirect(url_for("list_members"), code=303)
        return render_template("signup.html")

    @app.post("/newsletter")
    def newsletter():
        email = request.form.get("email", "").strip()
        if "@" in email and email not in subscribers:
            subscribers.append(email)
        return redirect(url_for("signup"), code=303)

    @app.get("/members")
    def list_members():
        return {"members": sorted(members), "subscribers": subscribers}

    return app
