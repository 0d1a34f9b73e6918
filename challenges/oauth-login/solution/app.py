"""Sign in with an OAuth 2 provider through Authlib's Flask client."""

from __future__ import annotations

import os

from authlib.integrations.flask_client import OAuth, OAuthError
from flask import Flask, redirect, session, url_for

oauth = OAuth()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
    # Authlib reads <NAME>_CLIENT_ID and <NAME>_CLIENT_SECRET from the config
    app.config["ACME_CLIENT_ID"] = os.environ.get("OAUTH_CLIENT_ID")
    app.config["ACME_CLIENT_SECRET"] = os.environ.get("OAUTH_CLIENT_SECRET")
    server = os.environ.get("OAUTH_SERVER_URL", "http://127.0.0.1:8000").rstrip("/")

    oauth.init_app(app)
    oauth.register(
        "acme",
        authorize_url=f"{server}/authorize",
        access_token_url=f"{server}/token",
        api_base_url=f"{server}/",
        client_kwargs={"scope": "profile email", "code_challenge_method": "S256"},
    )

    @app.get("/login")
    def login():
        # Authlib keeps state and the PKCE verifier in the session until the callback
        return oauth.acme.authorize_redirect(url_for("callback", _external=True))

    @app.get("/auth/callback")
    def callback():
        try:
            token = oauth.acme.authorize_access_token()
        except OAuthError as error:
            return {"error": error.error}, 400
        profile = oauth.acme.get("userinfo", token=token).json()
        # keep who signed in, not the token: the session is a cookie the browser can read
        session["user"] = {key: profile[key] for key in ("sub", "name", "email")}
        return redirect(url_for("me"))

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
