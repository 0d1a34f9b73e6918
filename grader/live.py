"""Live events on the Socket.IO namespace `/live`: one room per signed-in user.

A signed-in socket joins `user:<id>`. A submission's events go to its owner's room and to the
rooms of everyone who sees every submission (teachers and admins), looked up when the event is
sent: a role change therefore applies to the next event, in every process, without the socket
reconnecting. Everyone, even without logging in, receives `leaderboard.update`. Reviews add
`review.comment` (to the submission's owner and the staff), `review.unread` {count} (to the
learner) and `similarity.progress` (to the staff). Authentication is
the session cookie, or `auth={"token": ...}` for the CLI and other API clients.

Courses: a course submission's events also go to the course's staff (looked up the same way),
and before the due time the owner's copy carries only what the course shows them. Members'
sockets join `course:<slug>`, where the course's own `leaderboard.update` (with a `course`
field) is sent.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from typing import Any

from flask import Flask, current_app, has_app_context, request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, join_room
from sqlalchemy import select

from . import signals, statuses
from .extensions import db, socketio
from .models import COURSE_STAFF, Membership, Submission, User
from .services import ServiceError, assignments, courses, submissions, tokens, waiting

NAMESPACE = "/live"
STAFF_ROLES = ("teacher", "admin")
_last_standings: list[dict[str, Any]] | None = None
_last_course_standings: dict[str, list[dict[str, Any]]] = {}
_standings_lock = threading.Lock()


def user_room(user_id: int) -> str:
    """The room of one user's sockets."""
    return f"user:{user_id}"


def course_room(slug: str) -> str:
    """The room of a course's members (its leaderboard)."""
    return f"course:{slug}"


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
        for course, _role in courses.list_for(user):
            join_room(course_room(course.slug), sid=request.sid, namespace=NAMESPACE)

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


def _context(app: Flask) -> contextlib.AbstractContextManager[Any]:
    """The sender's app context: the current one when it is already pushed."""
    if has_app_context() and current_app._get_current_object() is app:  # type: ignore[attr-defined]
        return contextlib.nullcontext()
    return app.app_context()


def _on_submission_changed(app: Flask, submission: Any, **_: Any) -> None:
    with _context(app):
        emit_submission(submission)


def _on_test_reported(app: Flask, submission_id: int, owner_id: int, test: dict[str, Any],
                      **_: Any) -> None:
    with _context(app):
        emit_test(submission_id, owner_id, test)


def _on_review_commented(app: Flask, submission: Any, comment: dict[str, Any],
                         **_: Any) -> None:
    # The owner and the staff see every comment of a submission, as they see its results.
    with _context(app):
        socketio.emit("review.comment", comment, namespace=NAMESPACE,
                      to=_recipients(submission.user_id))


def _on_review_unread(_app: Flask, user_id: int, count: int, **_: Any) -> None:
    socketio.emit("review.unread", {"count": count}, namespace=NAMESPACE, to=user_room(user_id))


def _on_similarity_progress(app: Flask, progress: dict[str, Any], **_: Any) -> None:
    with _context(app):
        socketio.emit("similarity.progress", progress, namespace=NAMESPACE,
                      to=staff_rooms.rooms())


def _on_role_changed(_app: Flask, **_: Any) -> None:
    staff_rooms.forget()


def _on_check_progressed(app: Flask, version: Any, state: dict[str, Any],
                         row: dict[str, Any] | None = None, **_: Any) -> None:
    """`validation.update` to the uploader and the staff: a challenge upload's check moved on."""
    with _context(app):
        rooms = {*staff_rooms.rooms()}
        if version.created_by_id:
            rooms.add(user_room(version.created_by_id))
        payload = {key: state[key] for key in ("challenge", "version", "state", "valid",
                                              "published", "rows_done", "rows_total")}
        payload["row"] = row
        socketio.emit("validation.update", payload, namespace=NAMESPACE, to=sorted(rooms))


def _on_standings_changed(_app: Flask, rows: list[dict[str, Any]], **_: Any) -> None:
    emit_leaderboard(rows)


def _on_course_standings_changed(_app: Flask, course: str, rows: list[dict[str, Any]],
                                 **_: Any) -> None:
    emit_course_leaderboard(course, rows)


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
                staff = staff_rooms.rooms()
        except Exception:
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
                          namespace=NAMESPACE, to=sorted({user_room(row["user_id"]), *staff}))


line_updates = LineUpdates()


def _on_queue_moved(app: Flask, **_: Any) -> None:
    line_updates.moved(app)


# How long a thread may hold the GIL while others wait for it (CPython's default is 5 ms). In
# threading mode every open WebSocket has a writer thread: a broadcast wakes them all, and at the
# default the emitting thread is made to hand the GIL over again and again to the writers it has
# just woken, so the queue of woken threads grows instead of draining. At 20 ms the emit loop runs
# through and the writers follow one by one, each giving the GIL back at its socket's send.
# bench/bench_server.py, 1,000 clients on 2 cores: median delivery 176-290 ms before, 120-139 ms
# after, and the load average at the end 2 instead of 80 and more. A CPU-bound request can now
# keep other threads waiting 20 ms instead of 5 before it is asked to let go.
SWITCH_INTERVAL_S = 0.02


def tune_for_many_connections() -> None:
    """The serving process's threads take turns for the GIL as broadcasts need (see above)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def init_app(app: Flask) -> None:
    """Turn what the services announce into Socket.IO events (once per process)."""
    register()
    signals.submission_changed.connect(_on_submission_changed)
    signals.test_reported.connect(_on_test_reported)
    signals.standings_changed.connect(_on_standings_changed)
    signals.course_standings_changed.connect(_on_course_standings_changed)
    signals.queue_moved.connect(_on_queue_moved)
    signals.role_changed.connect(_on_role_changed)
    signals.check_progressed.connect(_on_check_progressed)
    signals.review_commented.connect(_on_review_commented)
    signals.review_unread.connect(_on_review_unread)
    signals.similarity_progress.connect(_on_similarity_progress)


class StaffRooms:
    """The rooms of the users who see every submission, read from the database.

    Kept for `ttl_s` so a burst of events costs one query; a role change made in this process
    clears it at once, one made in another process is seen within `ttl_s`.
    """

    def __init__(self, ttl_s: float = 2.0) -> None:
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._cached: tuple[float, list[str]] | None = None

    def rooms(self) -> list[str]:
        with self._lock:
            if self._cached is not None and time.monotonic() - self._cached[0] < self.ttl_s:
                return self._cached[1]
        ids = db.session.scalars(select(User.id).where(User.role.in_(STAFF_ROLES)))
        rooms = [user_room(user_id) for user_id in ids]
        with self._lock:
            self._cached = (time.monotonic(), rooms)
        return rooms

    def forget(self) -> None:
        with self._lock:
            self._cached = None


staff_rooms = StaffRooms()


def _recipients(owner_id: int) -> list[str]:
    """The owner's room and the staff's rooms (needs an app context)."""
    return sorted({user_room(owner_id), *staff_rooms.rooms()})


def _audiences(submission: Submission) -> tuple[list[str], list[str], str, Any]:
    """(rooms that see everything, the owner's room, what the owner may see, until when).

    Needs an app context. The owner is judged as any viewer: staff trying out their own course
    see everything.
    """
    everything = set(staff_rooms.rooms())
    if submission.course_id is not None:
        everything.update(user_room(user_id) for user_id in db.session.scalars(
            select(Membership.user_id).where(Membership.course_id == submission.course_id,
                                             Membership.role.in_(COURSE_STAFF))))
    mode, until = assignments.feedback_mode(submission.user, submission)
    owner = user_room(submission.user_id)
    if mode != "full":
        everything.discard(owner)
    return sorted(everything), [owner], mode, until


def emit_submission(submission: Any) -> None:
    """`submission.update` to the owner, the teachers and the course's staff (with the place
    in line if queued); the owner's copy cut down to what the course shows before its due time."""
    payload = {"id": submission.id, "status": submission.status, "score": submission.effective_score, "max_score": submission.max_score}
    if submission.status == statuses.QUEUED:
        payload["queue_position"], payload["eta_s"] = waiting.position_of(submission)
        line_updates.told(submission.id, payload["queue_position"])
    everything, owner, mode, until = _audiences(submission)
    if mode == "full":
        socketio.emit("submission.update", payload, namespace=NAMESPACE,
                      to=sorted({*everything, *owner}))
        return
    socketio.emit("submission.update", payload, namespace=NAMESPACE, to=everything)
    socketio.emit("submission.update", submissions.masked(payload, mode, until),
                  namespace=NAMESPACE, to=owner)


def emit_test(submission_id: int, owner_id: int, test: dict[str, Any]) -> None:
    """`test.result` to the owner, the teachers and the course's staff, while the suite runs.

    The owner gets it without its message while the course shows only scores, and not at all
    while it shows nothing before the due time.
    """
    event = {"submission_id": submission_id, "test": test}
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.course_id is None:
        socketio.emit("test.result", event, namespace=NAMESPACE, to=_recipients(owner_id))
        return
    everything, owner, mode, _ = _audiences(submission)
    if mode == "full":
        socketio.emit("test.result", event, namespace=NAMESPACE, to=sorted({*everything, *owner}))
        return
    socketio.emit("test.result", event, namespace=NAMESPACE, to=everything)
    if mode == "score":
        socketio.emit("test.result", {**event, "test": {**test, "message": ""}},
                      namespace=NAMESPACE, to=owner)


def emit_course_leaderboard(course: str, rows: list[dict[str, Any]]) -> bool:
    """`leaderboard.update` with `course` to the course's members, when its standings moved."""
    with _standings_lock:
        if _last_course_standings.get(course) == rows:
            return False
        _last_course_standings[course] = rows
    socketio.emit("leaderboard.update", {"rows": rows, "course": course}, namespace=NAMESPACE,
                  to=course_room(course))
    return True


def emit_leaderboard(rows: list[dict[str, Any]], force: bool = False) -> bool:
    """`leaderboard.update` to everyone, when the standings differ from the last ones sent."""
    global _last_standings
    with _standings_lock:
        if not force and rows == _last_standings:
            return False
        _last_standings = rows
    socketio.emit("leaderboard.update", {"rows": rows}, namespace=NAMESPACE)
    return True


def disconnect_all() -> int:
    """Close every Socket.IO session of this process (a clean stop); how many there were.

    Closed at the Engine.IO level, so browsers reconnect by themselves (to a process that is
    still up) instead of treating it as the server sending them away.
    """
    server = socketio.server
    if server is None:
        return 0
    sessions = list(server.eio.sockets.values())
    for session in sessions:
        # Not `eio.disconnect()`: it waits for each socket's send queue to drain, and a
        # long-polling socket's never does (its last poll puts the end marker back), nor does a
        # WebSocket's whose connection the stopping server already closed: the stop would hang.
        session.close(wait=False, reason=server.eio.reason.SERVER_DISCONNECT)
    server.eio.sockets.clear()
    return len(sessions)
