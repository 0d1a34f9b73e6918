"""The user store: two accounts with hashed passwords, looked up by id or by username."""

from __future__ import annotations

from flask_login import UserMixin
from werkzeug.security import check_password_hash


class User(UserMixin):
    """An account. UserMixin gives Flask-Login `is_authenticated`, `get_id()` and friends."""

    def __init__(self, user_id: str, username: str, name: str, password_hash: str) -> None:
        self.id = user_id
        self.username = username
        self.name = name
        self.password_hash = password_hash

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


# Made with werkzeug.security.generate_password_hash. The iteration count is lowered so that the
# tests stay fast; in a real app, keep generate_password_hash's default method.
USERS: dict[str, User] = {
    "1": User("1", "ann", "Ann",
              "pbkdf2:sha256:20000$YiErFve45RJu0vV9$ca600672a41d3730ccf281d91cf3376a5173adcf82f722"
              "ca2ed0d8c27ccf95f4"),  # password: correct-horse
    "2": User("2", "bob", "Bob",
              "pbkdf2:sha256:20000$vbuoGtsff1mR2SbW$696b02e81d306c1c53abcf1443d4ba976e05e91d960f14"
              "b41b5df9d918363211"),  # password: tr0ub4dor&3
}


def get_user(user_id: str) -> User | None:
    """The user with this id, or None if there is none (any more)."""
    return USERS.get(user_id)


def find_user(username: str) -> User | None:
    """The user with this username, or None."""
    return next((u for u in USERS.values() if u.username == username), None)
