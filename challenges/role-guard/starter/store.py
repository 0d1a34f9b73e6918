"""The accounts and articles, kept in memory: one fresh store per app."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_login import UserMixin
from werkzeug.security import check_password_hash

ROLES = ("reader", "editor", "admin")

# The hashes come from generate_password_hash with a lowered iteration count so that the tests
# stay fast; a real app keeps the default method.
# Passwords: rita reader-pass-1, ed editor-pass-2, ada admin-pass-3.
HASHES = {
    "rita": ("pbkdf2:sha256:20000$OqwQNufenlVe7lgr$0c48accfb1d7733d0f2b36d2edccde40e7b0ddb011f8637"
             "ec1393f3e6115e25c"),
    "ed": ("pbkdf2:sha256:20000$LFQVGrK7KXs0q5Ej$fa83eab5ed43ca5afc75c80d1bf2d608419bfd6c20869d53a"
           "12f9b30bfe8b212"),
    "ada": ("pbkdf2:sha256:20000$ZwZDoqiJKEsbF0GH$cf2e94240c7f6518319fe0bf0cb7aaa106fe3eff3cf5cdd9c"
            "00ed50589008c90"),
}
SEED = [("1", "rita", {"reader"}), ("2", "ed", {"editor"}), ("3", "ada", {"admin"})]


@dataclass(eq=False)
class Account(UserMixin):
    """A user. `roles` is read from here on every request, so a change applies at once."""

    id: str
    username: str
    password_hash: str
    roles: set[str] = field(default_factory=set)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Store:
    """Accounts by id and articles by id."""

    def __init__(self) -> None:
        self.accounts = {uid: Account(uid, name, HASHES[name], set(roles))
                         for uid, name, roles in SEED}
        self.articles: dict[int, dict] = {1: {"id": 1, "title": "Hello, world", "author": "ed"}}
        self.next_id = 2

    def get(self, user_id: str) -> Account | None:
        return self.accounts.get(user_id)

    def find(self, username: str) -> Account | None:
        return next((a for a in self.accounts.values() if a.username == username), None)

    def add_article(self, title: str, author: str) -> dict:
        article = {"id": self.next_id, "title": title, "author": author}
        self.articles[self.next_id] = article
        self.next_id += 1
        return article
