"""A site with a sign-in form: wire it to Flask-Login and protect its pages."""

from __future__ import annotations

import os

from flask import Flask, render_template
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from forms import LoginForm
from users import User, find_user, get_user

login_manager = LoginManager()
csrf = CSRFProtect()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # Flask-Login calls this on every request whose session holds a user id
    return get_user(user_id)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
    csrf.init_app(app)
    login_manager.init_app(app)

    @app.route("/login", methods=["GET", "POST"])
    def login():
        form = LoginForm()
        error = None
        if form.validate_on_submit():
            user = find_user(form.username.data)
            if user is None or not user.check_password(form.password.data):
                error = "Invalid username or password."
            # a user with the right password is not signed in yet
        return render_template("login.html", form=form, error=error)

    @app.get("/dashboard")
    def dashboard():
        return render_template("page.html", title="Dashboard")

    @app.get("/settings")
    def settings():
        return render_template("page.html", title="Settings")

    @app.get("/api/me")
    def me():
        return {"error": "login required"}, 401

    @app.post("/logout")
    def logout():
        return render_template("page.html", title="Signed out")

    return app
