"""Fixtures for the server tests: app, client, auth, users with tokens, a fake runner."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

# The packages of this checkout come first, whatever way pytest was started.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

from flask import Flask
from flask.testing import FlaskClient

import runner
from grader import clock as server_clock
from grader.extensions import db
from grader.services import accounts, challenges, tokens, versions

# The test challenge's own tests run inside the sandbox, not as part of this suite.
collect_ignore = ["data", "quiz_data"]

from lti_support import platform  # noqa: E402, F401 - the LTI tests' registered platform
from openapi_check import CheckedClient, check_api_answers  # noqa: E402
from server_support import (  # noqa: E402 - after the path set-up above
    HELLO,
    PASSWORD,
    AuthActions,
    FakeRunner,
    FixedClock,
    make_app,
)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app with the test challenge loaded (trusted, not re-validated) and one teacher."""
    app = make_app(tmp_path, monkeypatch)
    with app.app_context():
        versions.import_folder(HELLO, validate=False)
        accounts.register("teach", PASSWORD, role="teacher")
    yield app
    app.extensions["grader_queue"].shutdown(wait=True)
    with app.app_context():
        db.engine.dispose()



@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    """The test client; at the end, every API answer it got is checked against the document."""
    app.test_client_class = CheckedClient
    client = app.test_client()
    yield client
    problems = check_api_answers(client)
    assert not problems, "API answers that differ from /api/v1/openapi.json:\n" + "\n".join(
        problems)



@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)



@pytest.fixture
def make_user(app: Flask) -> Callable[..., tuple[str, dict[str, str]]]:
    """Create a user; returns (username, bearer headers)."""
    def make(username: str, role: str = "student") -> tuple[str, dict[str, str]]:
        with app.app_context():
            user = accounts.by_username(username) or accounts.register(username, PASSWORD, role)
            plaintext, _ = tokens.create(user, "tests")
        return username, {"Authorization": f"Bearer {plaintext}"}
    return make



@pytest.fixture
def teacher(make_user: Callable) -> dict[str, str]:
    return make_user("teach", "teacher")[1]



@pytest.fixture
def student(make_user: Callable) -> dict[str, str]:
    return make_user("ann")[1]



@pytest.fixture
def fake_runner(monkeypatch: pytest.MonkeyPatch) -> FakeRunner:
    from grader.services import jobs

    fake = FakeRunner()
    monkeypatch.setattr(runner, "grade", fake)
    monkeypatch.setattr(jobs, "engine_ready", fake.probe)
    return fake



@pytest.fixture
def clock() -> Iterator[FixedClock]:
    """The server's deadline clock, fixed at 2026-11-20 12:00 UTC until the test moves it."""
    fixed = FixedClock(datetime(2026, 11, 20, 12, 0))
    server_clock.set_source(fixed)
    yield fixed
    server_clock.set_source(None)
