"""Registering, signing in and signing out."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from .. import limits
from ..services import ServiceError, accounts
from .forms import LoginForm, RegisterForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after signing in (no open redirects)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//"):
            return target
    return url_for("challenges.index")


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    """Create a student account and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("challenges.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            limits.check_registration()
            user = accounts.register(form.username.data, form.password.data)
        except ServiceError as exc:
            if exc.status == 429:
                return refused(exc, "auth/register.html", form=form)
            field = form.username if exc.code in ("invalid_username", "username_taken") \
                else form.password
            field.errors.append(exc.message)
        else:
            login_user(user)
            flash(f"Welcome, {user.username}! Pick a challenge to start.", "success")
            return redirect(url_for("challenges.index"))
    return render_template("auth/register.html", form=form), 422 if form.errors else 200


def refused(exc: ServiceError, template: str, **context: Any) -> tuple[str, int, dict[str, str]]:
    """A form page again, saying why it was refused (a rate limit: when to try again)."""
    flash(exc.message, "error")
    return render_template(template, **context), exc.status, exc.headers


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Sign in with username and password."""
    next_url = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(safe_next(next_url))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            limits.check_sign_in(form.username.data)
            user = accounts.authenticate(form.username.data, form.password.data)
        except ServiceError as exc:
            if exc.status == 429:
                return refused(exc, "auth/login.html", form=form, next_url=next_url)
            form.password.errors.append(exc.message)
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(next_url))
    status = 401 if request.method == "POST" and form.password.errors else 200
    return render_template("auth/login.html", form=form, next_url=next_url), status


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Sign out (a POST, so another site cannot sign people out with a link)."""
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("challenges.index"))
