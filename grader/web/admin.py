"""Admins: every account, and changing roles (promote a student to teacher)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user

from ..services import ServiceError, accounts
from .access import admin_required
from .forms import PromoteForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@admin_required
def users() -> str:
    """Every account with its role."""
    return render_template("admin/users.html", users=accounts.list_users(), form=PromoteForm())


@bp.route("/users/<username>/role", methods=["POST"])
@admin_required
def set_role(username: str) -> Response:
    """Give an account another role."""
    form = PromoteForm()
    if not form.validate_on_submit():
        flash("Choose a role: student, teacher or admin.", "error")
        return redirect(url_for("admin.users"))
    try:
        user = accounts.set_role(current_user, username, form.role.data)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
    else:
        flash(f"{user.username} is now {user.role}.", "success")
    return redirect(url_for("admin.users"))
