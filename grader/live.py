"""Live events on the Socket.IO namespace `/live`: rooms per learner, a teachers room.

A learner's socket joins `user:<id>`; teachers also join `teachers`; everyone, even without
logging in, receives `leaderboard.update`. Authentication is the session cookie, or
`auth={"token": ...}` for the CLI and other API clients.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from . import signals
from .extensions import socketio
from .services import ServiceError, tokens

NAMESPACE = "/live"
TEACHERS_ROOM = "teachers"
_last_standings: list[dict[str, Any]] | None = None
_standings_lock = threading.Lock()


def user_room(user_id: int) -> str:
    """The room of one user's sockets."""
    return f"user:{user_id}"


class LiveNamespace(Namespace):
    """Joins each socket to the rooms its user may listen to."""

    def on_connect(self, auth: Any = None) -> None:
        user = current_user if current_user.is_authenticated else None
        token = auth.get("token") if isinstance(auth, dict) else None
        if user is None and token:
            try:
                user = tokens.authenticate(token)
            except ServiceError as exc:
                raise ConnectionRefusedError(exc.message) from None
        if user is None:
            return  # anonymous: the public leaderboard only
        join_room(user_room(user.id), sid=request.sid, namespace=NAMESPACE)
        if user.is_teacher:
            join_room(TEACHERS_ROOM, sid=request.sid, namespace=NAMESPACE)

    def on_disconnect(self, reason: Any = None) -> None:
        """Rooms are left automatically; nothing else is held per socket."""


_namespace = LiveNamespace(NAMESPACE)


def register() -> None:
    """Hand the namespace to the shared SocketIO object before `socketio.init_app`.

    `SocketIO.on_namespace` only keeps a handler for later servers when no server exists
    yet; each app (tests build many) gets a new server, and init_app attaches this list.
    """
    if _namespace not in socketio.namespace_handlers:
        _namespace._set_socketio(socketio)
        socketio.namespace_handlers.append(_namespace)


def _on_submission_changed(_app: Flask, submission: Any, **_: Any) -> None:
    emit_submission(submission)


def _on_test_reported(_app: Flask, submission_id: int, owner_id: int, test: dict[str, Any],
                      **_: Any) -> None:
    emit_test(submission_id, owner_id, test)


def _on_standings_changed(_app: Flask, rows: list[dict[str, Any]], **_: Any) -> None:
    emit_leaderboard(rows)


def init_app(app: Flask) -> None:
    """Turn what the services announce into Socket.IO events (once per process)."""
    register()
    signals.submission_changed.connect(_on_submission_changed)
    signals.test_reported.connect(_on_test_reported)
    signals.standings_changed.connect(_on_standings_changed)


def _recipients(owner_id: int) -> list[str]:
    return [user_room(owner_id), TEACHERS_ROOM]


def emit_submission(submission: Any) -> None:
    """`submission.update` to the owner and the teachers."""
    socketio.emit("submission.update",
                  {"id": submission.id, "status": submission.status, "score": submission.score,
                   "max_score": submission.max_score},
                  namespace=NAMESPACE, to=_recipients(submission.user_id))


def emit_test(submission_id: int, owner_id: int, test: dict[str, Any]) -> None:
    """`test.result` to the owner and the teachers, while the suite runs."""
    socketio.emit("test.result", {"submission_id": submission_id, "test": test},
                  namespace=NAMESPACE, to=_recipients(owner_id))


def emit_leaderboard(rows: list[dict[str, Any]], force: bool = False) -> bool:
    """`leaderboard.update` to everyone, when the standings differ from the last ones sent."""
    global _last_standings
    with _standings_lock:
        if not force and rows == _last_standings:
            return False
        _last_standings = rows
    socketio.emit("leaderboard.update", {"rows": rows}, namespace=NAMESPACE)
    return True
