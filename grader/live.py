"""Live events on the Socket.IO namespace `/live`: rooms per learner, a teachers room.

A learner's socket joins `user:<id>`; teachers also join `teachers`; everyone, even without
logging in, receives `leaderboard.update`. Reviews add `review.comment` (to the submission's
owner and the teachers), `review.unread` {count} (to the learner) and `similarity.progress`
(to the teachers). Authentication is the session cookie, or
`auth={"token": ...}` for the CLI and other API clients.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from . import signals, statuses
from .extensions import socketio
from .services import ServiceError, tokens, waiting

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


class LineUpdates:
    """Tells every waiting learner their new place in line, at most once per `every_s`.

    At a deadline hundreds of submissions wait and every grading moves them all: coalescing the
    movements keeps the events per second bounded whatever the rate of gradings.
    """

    def __init__(self, every_s: float = 1.0) -> None:
        self.every_s = every_s
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._told: dict[int, int] = {}  # submission id -> the place last sent

    def told(self, submission_id: int, position: int | None) -> None:
        """A submission's place was sent with another update: no need to send it again."""
        if position is not None:
            with self._lock:
                self._told[submission_id] = position

    def moved(self, app: Flask) -> None:
        with self._lock:
            if self._timer is not None:
                return
            self._timer = threading.Timer(self.every_s, self.send, args=(app,))
            self._timer.daemon = True
            self._timer.start()

    def send(self, app: Flask) -> None:
        with self._lock:
            self._timer = None
        try:
            with app.app_context():
                rows = waiting.line()
        except Exception:  # noqa: BLE001 - a missed update is corrected by the next one
            app.logger.exception("could not compute the places in line")
            return
        with self._lock:
            told, self._told = self._told, {row["id"]: row["queue_position"] for row in rows}
        for row in rows:
            if told.get(row["id"]) == row["queue_position"]:
                continue  # only places that moved are sent again
            socketio.emit("submission.update",
                          {"id": row["id"], "status": statuses.QUEUED, "score": row["score"],
                           "max_score": row["max_score"], "queue_position": row["queue_position"],
                           "eta_s": row["eta_s"], "moved": True},
                          namespace=NAMESPACE, to=_recipients(row["user_id"]))


line_updates = LineUpdates()


def _on_queue_moved(app: Flask, **_: Any) -> None:
    line_updates.moved(app)


def _on_review_commented(_app: Flask, submission: Any, comment: dict[str, Any],
                         **_: Any) -> None:
    # The owner and the teachers see every comment of a submission, as they do its results.
    socketio.emit("review.comment", comment, namespace=NAMESPACE,
                  to=_recipients(submission.user_id))


def _on_review_unread(_app: Flask, user_id: int, count: int, **_: Any) -> None:
    socketio.emit("review.unread", {"count": count}, namespace=NAMESPACE, to=user_room(user_id))


def _on_similarity_progress(_app: Flask, progress: dict[str, Any], **_: Any) -> None:
    socketio.emit("similarity.progress", progress, namespace=NAMESPACE, to=TEACHERS_ROOM)


def init_app(app: Flask) -> None:
    """Turn what the services announce into Socket.IO events (once per process)."""
    register()
    signals.submission_changed.connect(_on_submission_changed)
    signals.test_reported.connect(_on_test_reported)
    signals.standings_changed.connect(_on_standings_changed)
    signals.queue_moved.connect(_on_queue_moved)
    signals.review_commented.connect(_on_review_commented)
    signals.review_unread.connect(_on_review_unread)
    signals.similarity_progress.connect(_on_similarity_progress)


def _recipients(owner_id: int) -> list[str]:
    return [user_room(owner_id), TEACHERS_ROOM]


def emit_submission(submission: Any) -> None:
    """`submission.update` to the owner and the teachers (with the place in line if queued)."""
    payload = {"id": submission.id, "status": submission.status,
               "score": submission.effective_score,
               "max_score": submission.max_score}
    if submission.status == statuses.QUEUED:
        payload["queue_position"], payload["eta_s"] = waiting.position_of(submission)
        line_updates.told(submission.id, payload["queue_position"])
    socketio.emit("submission.update", payload, namespace=NAMESPACE,
                  to=_recipients(submission.user_id))


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
