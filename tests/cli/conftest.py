"""Fixtures for the `grader` tool: an isolated home, a fake server, a CliRunner helper."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[2]
# The packages of this checkout come first, whatever way pytest was started.
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).parent))

from cli_fake_server import TOKEN, FakeServer, starter_zip

from grader.client import config
from grader.client.cli import cli

STARTER_APP = "from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n"
PUBLIC_TEST = "def test_home(client):\n    assert client.get('/').status_code == 200\n"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own HOME, config folder and working directory; no GRADER_* leaks in."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("GRADER_SERVER", raising=False)
    monkeypatch.delenv("GRADER_TOKEN", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


@pytest.fixture
def fake(fake_server: FakeServer) -> FakeServer:
    """The fake server, reset and holding two challenges."""
    fake_server.state.__init__()
    state = fake_server.state
    state.challenges["url-converters"] = {
        "slug": "url-converters",
        "title": "Typed URL parameters",
        "concepts": ["routing.converters"],
        "difficulty": 1,
        "points": 100,
        "files": ["app.py", "templates/*.html"],
        "best_score": 60,
    }
    state.challenges["hello-flask"] = {
        "slug": "hello-flask",
        "title": "Hello, Flask",
        "concepts": ["core.app", "routing.route"],
        "difficulty": 2,
        "points": 50,
        "files": ["app.py"],
        "best_score": None,
    }
    state.starters["url-converters"] = starter_zip(
        "url-converters",
        {
            "app.py": STARTER_APP,
            "README.md": "# Typed URL parameters\n",
            "public_tests/test_public.py": PUBLIC_TEST,
        },
    )
    state.outcomes["url-converters"] = [
        {
            "id": "test_routes.py::test_int",
            "title": "Integer ids are parsed",
            "status": "passed",
            "points": 60,
            "max_points": 60,
            "message": "",
            "duration_ms": 12,
        },
        {
            "id": "test_routes.py::test_404",
            "title": "Unknown ids are 404",
            "status": "failed",
            "points": 0,
            "max_points": 40,
            "message": "Unknown ids should be Not Found",
            "duration_ms": 9,
        },
    ]
    state.outcomes["hello-flask"] = [
        {
            "id": "test_hello.py::test_home",
            "title": "The home page greets",
            "status": "passed",
            "points": 50,
            "max_points": 50,
            "message": "",
            "duration_ms": 5,
        }
    ]
    state.leaderboard = [
        {
            "rank": 1,
            "name": "ann",
            "score": 150,
            "solved": 2,
            "last_improvement": "2026-11-23T10:00Z",
        },
        {
            "rank": 2,
            "name": "bob",
            "score": 60,
            "solved": 0,
            "last_improvement": "2026-11-23T11:00Z",
        },
    ]
    return fake_server


@pytest.fixture
def logged_in(fake: FakeServer) -> FakeServer:
    config.save(fake.url, TOKEN, "ann")
    return fake


@pytest.fixture
def grader() -> Callable[..., Result]:
    """Run `grader ARGS...` in-process; stdout and stderr are kept apart."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke
