"""The profile page: API tokens (shown once, stored hashed) and the password."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user

from ..services import ServiceError, accounts, tokens
from .forms import PasswordForm, TokenForm

bp = Blueprint("profile", __name__, url_prefix="/profile")


def render_profile(form: TokenForm, status: int = 200,
                   new_token: dict[str, str] | None = None,
                   password_form: PasswordForm | None = None) -> tuple[str, int]:
    """The profile page; `new_token` is a secret shown this once and never stored in clear."""
    return render_template(
        "profile/index.html",
        form=form,
        password_form=password_form or PasswordForm(formdata=None, prefix="password"),
        tokens=tokens.list_for(current_user),
        new_token=new_token,
    ), status


@bp.route("/")
@login_required
def index() -> tuple[str, int]:
    """My account and my API tokens."""
    return render_profile(TokenForm())


@bp.route("/tokens", methods=["POST"])
@login_required
def create_token() -> Response | tuple[str, int]:
    """Create a token and show its secret in this response only (it is not kept anywhere)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return render_profile(form, 422)
    try:
        plaintext, token = tokens.create(current_user, form.name.data)
    except ServiceError as exc:
        form.name.errors.append(exc.message)
        return render_profile(form, exc.status)
    return render_profile(TokenForm(formdata=None), 201,
                          new_token={"name": token.name, "secret": plaintext})


@bp.route("/password", methods=["POST"])
@login_required
def change_password() -> Response | tuple[str, int]:
    """Set a new password; every other session and every API token of mine stops working."""
    form = PasswordForm(prefix="password")
    if not form.validate_on_submit():
        return render_profile(TokenForm(formdata=None), 422, password_form=form)
    user = current_user._get_current_object()
    try:
        revoked = accounts.change_password(user, form.current.data, form.new.data,
                                           form.confirm.data)
    except ServiceError as exc:
        (form.current if exc.code == "invalid_credentials" else form.new).errors.append(
            exc.message)
        return render_profile(TokenForm(formdata=None), exc.status, password_form=form)
    login_user(user)  # this session carries on under the new session version
    tokens_note = f" {revoked} API token(s) were revoked: sign the command-line tool in " \
                  "again." if revoked else ""
    flash(f"Your password is changed; your other sessions are signed out.{tokens_note}",
          "success")
    return redirect(url_for("profile.index"))


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int) -> Response:
    """Revoke one of my tokens: it stops working at once."""
    token = tokens.revoke(current_user, token_id)
    flash(f"The token {token.name!r} is revoked.", "success")
    return redirect(url_for("profile.index"))
