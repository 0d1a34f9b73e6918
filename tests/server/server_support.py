"""Helpers shared by the server tests: test data, an app factory, submissions, a fake runner."""

from __future__ import annotations

import io
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# The packages of this checkout come first, whatever way pytest was started.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

from flask import Flask
from flask.testing import FlaskClient

import runner
from grader import create_app, live
from grader.extensions import db
from grader.models import Submission

DATA = Path(__file__).resolve().parent / "data"
HELLO = DATA / "hello-routes"
SOLUTION = (HELLO / "solution" / "app.py").read_bytes()
MUTANT = (HELLO / "mutants" / "wrong-greeting" / "app.py").read_bytes()
STARTER = (HELLO / "starter" / "app.py").read_bytes()
PASSWORD = "correct-horse-9"


def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **settings: Any) -> Flask:
    """A test app on its own SQLite file and instance folder."""
    monkeypatch.setenv("GRADER_INSTANCE_PATH", str(tmp_path / "instance"))
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "GRADER_BACKEND": "local",
        "GRADER_RECOVER_ON_START": False,
        "GRADER_CHALLENGES_DIR": str(DATA),
        "GRADER_RATE_LIMIT": (1000, 60),
        "GRADER_LOGIN_RATE_LIMIT": (1000, 60),
        "GRADER_REGISTER_RATE_LIMIT": (1000, 60),
        "GRADER_RETRY_DELAY_S": 1,
        "GRADER_ENGINE_RETRY_S": 1,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret-key-0123456789",
    }
    config.update(settings)
    live._last_standings = None  # one app per process in production; many in tests
    app = create_app(config)
    with app.app_context():
        db.create_all()
    return app



class AuthActions:
    """Log in and out through the pages, like a browser."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str = "teach", password: str = PASSWORD) -> Any:
        return self._client.post("/auth/login", data={"username": username, "password": password})

    def logout(self) -> Any:
        return self._client.post("/auth/logout")



def submit(client: FlaskClient, headers: dict[str, str], content: bytes = SOLUTION,
           slug: str = "hello-routes", name: str = "app.py") -> Any:
    """POST one file to the API."""
    return client.post("/api/v1/submissions", headers=headers,
                       data={"challenge": slug, name: (io.BytesIO(content), name)},
                       content_type="multipart/form-data")



def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()



def wait_final(app: Flask, submission_id: int, timeout: float = 60.0) -> Submission:
    """Poll the database until the submission has a final verdict."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            sub = db.session.get(Submission, submission_id)
            if sub is not None and sub.is_final:
                db.session.expunge(sub)
                return sub
        time.sleep(0.05)
    raise AssertionError(f"submission {submission_id} did not finish in {timeout} s")



class FakeRunner:
    """Stands in for `runner.grade` and the engine probe: scripted results, streamed test by
    test; after an `EngineUnavailable`, the probe reports the engine down `down_probes` times."""

    def __init__(self) -> None:
        self.calls: list[dict[str, bytes]] = []
        self.script: list[Any] = []  # per call: a GradeResult, or an exception to raise
        self.gate: threading.Event | None = None
        self.down_probes = 1
        self.probes: list[bool] = []
        self._down_left = 0

    def probe(self) -> tuple[bool, str]:
        """What the workers ask while grading is paused."""
        up = self._down_left <= 0
        self._down_left -= 1
        self.probes.append(up)
        return (True, "") if up else (False, "The Docker engine is unavailable: still down")

    def __call__(self, challenge: runner.Challenge, files: dict[str, bytes],
                 on_test: Callable | None = None, *, backend: str = "docker") -> runner.GradeResult:
        self.calls.append(dict(files))
        step = self.script.pop(0) if self.script else None
        if isinstance(step, runner.EngineUnavailable):
            self._down_left = self.down_probes
        if isinstance(step, Exception):
            raise step
        if self.gate is not None:
            self.gate.wait(30)
        result = step or passing_result()
        for test in result.tests:
            if on_test is not None:
                on_test(test)
        return result



def passing_result(score: int = 100) -> runner.GradeResult:
    first = min(score, 40)
    return runner.GradeResult(
        status=runner.Verdict.PASSED if score == 100 else runner.Verdict.FAILED,
        score=score, max_score=100, timings_ms={"run": 5},
        tests=[runner.TestResult("test_routes.py::test_index", "The index greets Flask",
                                 "passed" if first == 40 else "failed", first, 40),
               runner.TestResult("test_routes.py::test_hello_name", "A dynamic route greets by name",
                                 "passed" if score - first == 60 else "failed", score - first, 60,
                                 "" if score - first == 60 else "Greet the name from the URL")])
