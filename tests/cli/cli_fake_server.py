"""A small stand-in for the grading server's API v1 and `/live` events, for the CLI's tests."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any, Self

import socketio
from flask import Flask, jsonify, request
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import make_server

from grader.statuses import vocabulary

TOKEN = "gdr_test-token"
TEACHER_TOKEN = "gdr_teacher-token"


def starter_zip(slug: str, files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"{slug}/{name}", text)
    return out.getvalue()


@dataclass
class FakeState:
    """What the fake server knows, and what it was sent."""

    challenges: dict[str, dict[str, Any]] = field(default_factory=dict)
    starters: dict[str, bytes] = field(default_factory=dict)
    outcomes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    submissions: dict[int, dict[str, Any]] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)
    pushed: list[bytes] = field(default_factory=list)
    leaderboard: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[str, tuple[int, str, str, dict[str, str]]] = field(default_factory=dict)
    refuse_live: bool = False
    hold: bool = False  # leave submissions queued
    verdict: str | None = None  # the final status, instead of passed/failed from the tests
    emit_events: bool = True


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def build_app(state: FakeState) -> tuple[Flask, socketio.Server]:
    # Polling only: the plain WSGI test server does not carry WebSocket connections well.
    sio = socketio.Server(async_mode="threading", transports=["polling"], logger=False)
    app = Flask(__name__)

    @sio.on("connect", namespace="/live")
    def connect(sid: str, environ: dict, auth: Any) -> bool:
        token = (auth or {}).get("token")
        if state.refuse_live or token not in (TOKEN, TEACHER_TOKEN):
            return False
        sio.enter_room(sid, "user", namespace="/live")
        return True

    @app.before_request
    def injected_errors():
        key = f"{request.method} {request.path}"
        if key in state.errors:
            status, code, message, headers = state.errors[key]
            return error(status, code, message, headers)
        # Like the real API: browsing needs no token, but a token sent must be valid.
        public = request.path in ("/api/v1/tokens", "/api/v1/leaderboard", "/api/v1/statuses") or (
            request.method == "GET" and request.path.startswith("/api/v1/challenges")
        )
        sent = request.headers.get("Authorization")
        authorized = sent in (f"Bearer {TOKEN}", f"Bearer {TEACHER_TOKEN}")
        if request.path.startswith("/api/v1/") and (sent or not public) and not authorized:
            return error(401, "invalid_token", "The token is not valid")
        return None

    @app.post("/api/v1/tokens")
    def tokens():
        body = request.get_json(silent=True) or {}
        if body.get("username") == "ann" and body.get("password") == "s3cret":
            return jsonify({"token": TOKEN, "name": body.get("name")}), 201
        if body.get("username") == "teacher" and body.get("password") == "s3cret":
            return jsonify({"token": TEACHER_TOKEN}), 201
        return error(401, "invalid_credentials", "Wrong username or password")

    @app.get("/api/v1/statuses")
    def statuses():
        return {"statuses": vocabulary()}

    @app.get("/api/v1/challenges")
    def challenges():
        return jsonify({"challenges": list(state.challenges.values())})

    @app.get("/api/v1/challenges/<slug>")
    def challenge(slug: str):
        if slug not in state.challenges:
            return error(404, "not_found", f"Challenge {slug!r} was not found")
        return jsonify(state.challenges[slug])

    @app.get("/api/v1/challenges/<slug>/starter")
    def starter(slug: str):
        if slug not in state.starters:
            return error(404, "not_found", f"Challenge {slug!r} was not found")
        return state.starters[slug], 200, {"Content-Type": "application/zip"}

    @app.post("/api/v1/challenges")
    def push():
        if request.headers.get("Authorization") != f"Bearer {TEACHER_TOKEN}":
            return error(403, "forbidden", "Only teachers may upload challenges")
        archive = request.files["archive"].read()
        state.pushed.append(archive)
        names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
        valid = "mutants/kept/app.py" not in names  # a mutant the tests cannot tell apart
        rows = [
            {
                "name": "solution",
                "kind": "solution",
                "expected": "full",
                "ok": True,
                "result": {"status": "passed", "score": 100, "max_score": 100},
            }
        ]
        if not valid:
            rows.append(
                {
                    "name": "mutants/kept",
                    "kind": "mutant",
                    "expected": "less",
                    "ok": False,
                    "result": {"status": "passed", "score": 100, "max_score": 100},
                }
            )
        body = {
            "challenge": {"slug": "mychallenge"} if valid else None,
            "version": 3,
            "valid": valid,
            "published": valid,
            "report": {"ok": valid, "rows": rows, "problems": []},
        }
        if not valid:
            body["error"] = {
                "code": "validation_failed",
                "message": "The challenge did not validate",
            }
            return jsonify(body), 422
        return jsonify(body), 201

    @app.post("/api/v1/submissions")
    def submit():
        slug = request.form.get("challenge", "")
        if slug not in state.challenges:
            return error(404, "not_found", f"Challenge {slug!r} was not found")
        files = {name: f.read().decode() for name, f in request.files.items()}
        state.received.append({"challenge": slug, "files": files})
        sid = len(state.submissions) + 1
        tests = state.outcomes.get(slug, [])
        record = {
            "id": sid,
            "challenge": slug,
            "user": "ann",
            "status": "queued",
            "score": 0,
            "max_score": state.challenges[slug]["points"],
            "tests": [],
            "submitted_at": "2026-11-23T10:00:00Z",
        }
        state.submissions[sid] = record
        threading.Thread(target=grade, args=(record, tests), daemon=True).start()
        return jsonify(record), 202

    def grade(record: dict[str, Any], tests: list[dict[str, Any]]) -> None:
        time.sleep(0.1)
        if state.hold:
            return
        update = {
            "id": record["id"],
            "status": "running",
            "score": 0,
            "max_score": record["max_score"],
        }
        record["status"] = "running"
        if state.emit_events:
            sio.emit("submission.update", update, namespace="/live", to="user")
        for test in tests:
            time.sleep(0.02)
            record["tests"].append(test)
            record["score"] += test["points"]
            if state.emit_events:
                sio.emit(
                    "test.result",
                    {"submission_id": record["id"], "test": test},
                    namespace="/live",
                    to="user",
                )
        passed = all(t["status"] == "passed" for t in tests)
        record["status"] = state.verdict or ("passed" if passed else "failed")
        if state.emit_events:
            sio.emit(
                "submission.update",
                {**update, "status": record["status"], "score": record["score"]},
                namespace="/live",
                to="user",
            )

    @app.get("/api/v1/submissions/<int:sid>")
    def submission(sid: int):
        if sid not in state.submissions:
            return error(404, "not_found", f"Submission {sid} was not found")
        return jsonify(state.submissions[sid])

    @app.get("/api/v1/submissions")
    def submissions():
        slug = request.args.get("challenge")
        if slug and slug not in state.challenges:
            return error(404, "not_found", f"Challenge {slug!r} was not found")
        rows = [r for r in state.submissions.values() if not slug or r["challenge"] == slug]
        rows.sort(key=lambda r: -r["id"])
        # One page at a time, as the real server answers (its default is 50 a page).
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 50))
        start = (page - 1) * per_page
        following = None
        if start + per_page < len(rows):
            args = {**request.args, "page": page + 1, "per_page": per_page}
            following = "/api/v1/submissions?" + "&".join(f"{k}={v}" for k, v in args.items())
        return jsonify({"submissions": rows[start:start + per_page], "page": page,
                        "per_page": per_page, "total": len(rows), "next": following})

    @app.get("/api/v1/leaderboard")
    def leaderboard():
        return jsonify({"rows": state.leaderboard})

    return app, sio


class FakeServer:
    """The fake app on a free loopback port, in a background thread."""

    def __init__(self, prefix: str = "") -> None:
        self.state = FakeState()
        app, self.sio = build_app(self.state)
        wsgi = socketio.WSGIApp(self.sio, app)
        if prefix:  # published below a path, as behind a reverse proxy
            wsgi = DispatcherMiddleware(NotFound(), {prefix: wsgi})
        self.server = make_server("127.0.0.1", 0, wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}{prefix}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
