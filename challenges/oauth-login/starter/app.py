"""Sign in with an OAuth 2 provider: register it with Authlib and write the two views."""

from __future__ import annotations

import os

from flask import Flask, session


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
    # The provider's base URL and this app's credentials are in the environment:
    # OAUTH_SERVER_URL, OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET.

    @app.get("/login")
    def login():
        return {"error": "not implemented yet"}, 501

    @app.get("/auth/callback")
    def callback():
        return {"error": "not implemented yet"}, 501

    @app.get("/me")
    def me():
        if "user" not in session:
            return {"error": "not signed in"}, 401
        return session["user"]

    @app.post("/logout")
    def logout():
        session.pop("user", None)
        return "", 204

    return app
