"""Accounts: registration, log-in checks, roles and password changes."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import func, select

from .. import signals
from ..extensions import db, login_manager
from ..models import ROLES, User, utcnow
from .errors import ServiceError, forbidden, not_found

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
MIN_PASSWORD = 8


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Flask-Login's hook: the user of a session, or None when that session was ended.

    The session id is `<user id>:<session version>` (`User.get_id`); a password change bumps
    the version, so the sessions and remember-me cookies made before it no longer load.
    """
    user_id, _, version = str(session_id).partition(":")
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or version != str(user.session_version):
        return None
    return user


def by_username(username: str) -> User | None:
    """The user with this name (case-insensitive), or None."""
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def check_username(username: str) -> str:
    """A valid, free username, or a 422/409 ServiceError saying what is wrong."""
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise ServiceError(422, "invalid_username",
                           "Usernames are 2-40 characters: letters, digits, '.', '_' or '-'")
    if by_username(username) is not None:
        raise ServiceError(409, "username_taken", f"The username {username!r} is already taken")
    return username


def check_password(password: str) -> str:
    """A password long enough to keep, or a 422 ServiceError."""
    if len(password or "") < MIN_PASSWORD:
        raise ServiceError(422, "weak_password",
                           f"Passwords must be at least {MIN_PASSWORD} characters long")
    return password


def register(username: str, password: str, role: str = "student") -> User:
    """Create an account (students register themselves; other roles come from admins)."""
    if role not in ROLES:
        raise ServiceError(422, "invalid_role", f"role must be one of {', '.join(ROLES)}")
    user = User(username=check_username(username), role=role)
    user.set_password(check_password(password))
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(username: str, password: str) -> User:
    """The user whose name and password match, or a 401 ServiceError."""
    user = by_username((username or "").strip())
    if user is None or not user.check_password(password or ""):
        raise ServiceError(401, "invalid_credentials", "Wrong username or password")
    return user


def set_role(actor: User, username: str, role: str) -> User:
    """An admin changes someone's role (promote a student to teacher, for instance)."""
    if not actor.is_admin:
        raise forbidden("Only admins can change roles")
    if role not in ROLES:
        raise ServiceError(422, "invalid_role", f"role must be one of {', '.join(ROLES)}")
    user = by_username(username)
    if user is None:
        raise not_found(f"User {username!r}")
    if user.id == actor.id and role != "admin":
        raise ServiceError(409, "last_admin", "Admins cannot demote themselves")
    return assign_role(user, role)


def assign_role(user: User, role: str) -> User:
    """Give an account another role and announce it (the server's own commands use this)."""
    if role not in ROLES:
        raise ServiceError(422, "invalid_role", f"role must be one of {', '.join(ROLES)}")
    user.role = role
    db.session.commit()
    signals.role_changed.send(current_app._get_current_object(),  # type: ignore[attr-defined]
                              user=user)
    return user


def change_password(user: User, current: str, new: str, confirmation: str) -> int:
    """A user sets a new password; every other session and every API token of theirs ends.

    Returns how many tokens were revoked. The caller signs the current session in again.
    """
    if not user.check_password(current or ""):
        raise ServiceError(401, "invalid_credentials", "The current password is not right")
    if new != confirmation:
        raise ServiceError(422, "password_mismatch", "The two new passwords differ")
    if new == current:
        raise ServiceError(422, "same_password", "Choose a password you have not used here")
    user.set_password(check_password(new))
    user.session_version += 1
    revoked = 0
    now = utcnow()
    for token in user.tokens:
        if token.revoked_at is None:
            token.revoked_at = now
            revoked += 1
    db.session.commit()
    return revoked


def list_users() -> list[User]:
    """Every account, by name."""
    return list(db.session.scalars(select(User).order_by(User.username)))
