"""Sign in with Flask-Login: protected pages, a safe `next`, remember me and sign out."""

from __future__ import annotations

import os
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, redirect, render_template, request, url_for
from flask_login import (
    LoginManager,
    current_user,
    login_required,
    login_url,
    login_user,
    logout_user,
)
from flask_wtf.csrf import CSRFProtect
from forms import LoginForm
from users import User, find_user, get_user

login_manager = LoginManager()
csrf = CSRFProtect()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # Flask-Login calls this on every request whose session holds a user id
    return get_user(user_id)


@login_manager.unauthorized_handler
def unauthorized():
    # an API client cannot follow a redirect to an HTML form: tell it plainly
    if request.path.startswith("/api/"):
        return {"error": "login required"}, 401
    # login_url() adds ?next=, made relative when it points to this site
    return redirect(login_url("login", next_url=request.url))


def is_safe_next(target: str | None) -> bool:
    """A path on this site: one leading slash, not followed by another slash or a backslash."""
    parts = urlsplit(target or "")
    return bool(target) and not parts.scheme and not parts.netloc and target.startswith("/")


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=14)
    csrf.init_app(app)
    login_manager.init_app(app)

    @app.route("/login", methods=["GET", "POST"])
    def login():
        form = LoginForm()
        error = None
        if form.validate_on_submit():
            user = find_user(form.username.data)
            if user is not None and user.check_password(form.password.data):
                login_user(user, remember=form.remember.data)
                target = request.args.get("next")
                return redirect(target if is_safe_next(target) else url_for("dashboard"))
            # the same message for both cases, so the form does not reveal who has an account
            error = "Invalid username or password."
        return render_template("login.html", form=form, error=error)

    @app.get("/dashboard")
    @login_required
    def dashboard():
        return render_template("page.html", title="Dashboard")

    @app.get("/settings")
    @login_required
    def settings():
        return render_template("page.html", title="Settings")

    @app.get("/api/me")
    @login_required
    def me():
        return {"username": current_user.username, "name": current_user.name}

    @app.post("/logout")
    @login_required
    def logout():
        logout_user()
        return redirect(url_for("login"))

    return app
