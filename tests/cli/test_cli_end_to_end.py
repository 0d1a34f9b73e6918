"""The `grader` tool against a real server (`grader serve`) grading in the real Docker sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from real_server import grader_serve, serve_env

ROOT = Path(__file__).resolve().parents[2]
HELLO = ROOT / "challenges" / "hello-flask"
DEMO_PASSWORD = "demo-teacher-pw"
GRADER = [sys.executable, "-m", "grader.client"]

pytestmark = pytest.mark.docker


@dataclass
class RunningServer:
    url: str
    env: dict[str, str]
    root: Path


def server_env(tmp: Path) -> dict[str, str]:
    return serve_env(
        tmp,
        GRADER_DEMO_PASSWORD=DEMO_PASSWORD,
        GRADER_RATE_LIMIT="3/1h",  # low enough for the rate-limit test to reach it
        GRADER_LOGIN_RATE_LIMIT="0",
        GRADER_REGISTER_RATE_LIMIT="0",
        GRADER_RUNNER_IMAGE=os.environ.get("GRADER_RUNNER_IMAGE", "flask-grader-runner:latest"),
    )


@pytest.fixture(scope="session")
def real_server(
    docker_engine: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """`grader serve` on a free loopback port, a temp database, the hello-flask challenge."""
    tmp = tmp_path_factory.mktemp("grader-e2e")
    shutil.copytree(HELLO, tmp / "challenges" / "hello-flask")
    env = server_env(tmp)
    with grader_serve(tmp, env, students=("ann", "bob")) as url:
        yield RunningServer(url, env, tmp)


@pytest.fixture
def as_ann(grader, real_server: RunningServer) -> RunningServer:
    result = grader(
        "login", "--server", real_server.url, "--username", "ann", input="ann-password\n"
    )
    assert result.exit_code == 0, result.output
    return real_server


def test_login_then_the_challenge_list(grader, real_server, tmp_path):
    result = grader("login", "--server", real_server.url, "-u", "ann", input="ann-password\n")
    assert result.exit_code == 0, result.output
    saved = tmp_path / "xdg" / "grader" / "config.json"
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    listing = grader("challenges")
    assert listing.exit_code == 0, listing.output
    assert "hello-flask" in listing.stdout and "core.app, routing.route" in listing.stdout
    rows = json.loads(grader("challenges", "--json").stdout)
    assert [r["slug"] for r in rows] == ["hello-flask"]


def test_a_wrong_password_is_refused(grader, real_server):
    result = grader("login", "--server", real_server.url, "-u", "ann", input="nope\n")
    assert result.exit_code == 2
    assert "refused the login for 'ann'" in result.stderr


def test_start_test_and_submit_a_wrong_then_a_right_solution(
    grader, as_ann, isolated_home, monkeypatch
):
    started = grader("start", "hello-flask")
    assert started.exit_code == 0, started.output
    folder = isolated_home / "hello-flask"
    assert json.loads((folder / ".grader.json").read_text())["entry"] == "app:app"
    monkeypatch.chdir(folder)

    public = grader("test", "--json")
    assert public.exit_code == 1, public.output
    assert json.loads(public.stdout)["status"] == "failed"  # the starter runs; its tests fail

    wrong = grader("submit", "hello-flask")
    assert wrong.exit_code == 1, wrong.output
    assert "Sending 1 file(s): app.py" in wrong.stderr
    assert "PASS " in wrong.stdout and "FAIL " in wrong.stdout
    assert "failed: " in wrong.stdout.splitlines()[-1]

    shutil.copy(HELLO / "solution" / "app.py", folder / "app.py")
    assert grader("test").exit_code == 0
    # The right solution goes through the installed entry point in a real process.
    right = subprocess.run(
        [*GRADER, "submit", "hello-flask", "--json"],
        cwd=folder,
        text=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
        check=False,
    )
    assert right.returncode == 0, right.stderr
    record = json.loads(right.stdout)
    assert record["status"] == "passed" and record["user"] == "ann"
    assert record["score"] == record["max_score"] == 100
    assert all(t["status"] == "passed" for t in record["tests"]) and len(record["tests"]) >= 5

    mine = json.loads(grader("submissions", "--challenge", "hello-flask", "--json").stdout)
    assert [r["status"] for r in mine] == ["passed", "failed"]  # newest first
    shown = grader("status", str(record["id"]), "--json")
    assert json.loads(shown.stdout)["score"] == 100
    board = json.loads(grader("leaderboard", "--json").stdout)
    # Full code points, but the challenge is solved only once its quiz is at full points too.
    assert board[0]["name"] == "ann" and board[0]["score"] == 100 and board[0]["solved"] == 0
    assert "ann" in grader("leaderboard").stdout


def test_an_unknown_slug_and_someone_elses_submission(grader, as_ann, isolated_home):
    (isolated_home / "app.py").write_text("app = None\n")
    unknown = grader("submit", "hello-flsk")
    assert unknown.exit_code == 2
    assert "Did you mean hello-flask?" in unknown.stderr
    missing = grader("status", "999999")
    assert missing.exit_code == 2 and "Not found" in missing.stderr


def test_submissions_past_the_rate_limit_say_when_to_retry(grader, real_server, isolated_home):
    assert (
        grader("login", "--server", real_server.url, "-u", "bob", input="bob-password\n").exit_code
        == 0
    )
    (isolated_home / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    codes = [grader("submit", "hello-flask", "--no-wait") for _ in range(4)]
    assert [c.exit_code for c in codes[:3]] == [0, 0, 0]
    assert codes[3].exit_code == 2
    assert "Too many requests" in codes[3].stderr and "retry in " in codes[3].stderr


TINY_TESTS = '''import pytest


@pytest.mark.points(2)
def test_ping(client):
    """/ping answers pong"""
    assert client.get("/ping").text == "pong", "/ping should answer pong"


def test_missing(client):
    """Other paths are Not Found"""
    assert client.get("/nope").status_code == 404
'''
PING = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get('/ping')\ndef ping():\n"


def tiny_challenge(folder: Path, slug: str) -> Path:
    """A challenge small enough to validate in a few seconds: one mutant, two tests."""
    files = {
        "challenge.toml": f'slug = "{slug}"\ntitle = "Ping"\nconcepts = ["routing.route"]\n'
        'files = ["app.py"]\nentry = "app:app"\ntimeout_s = 10\n',
        "statement.md": "# Ping\n\nAnswer `pong` at `/ping`.\n",
        "tests/test_ping.py": TINY_TESTS,
        "starter/app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "solution/app.py": PING + "    return 'pong'\n",
        "mutants/ping-pong-swapped/app.py": PING + "    return 'ping'\n",
    }
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_a_teacher_checks_and_pushes_a_challenge(grader, real_server, isolated_home):
    folder = tiny_challenge(isolated_home / "ping", "ping")
    checked = grader("challenge", "check", str(folder), "--local", "--json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["ok"] is True

    student = grader("login", "--server", real_server.url, "-u", "ann", input="ann-password\n")
    assert student.exit_code == 0
    refused = grader("challenge", "push", str(folder))
    assert refused.exit_code == 2 and "Not allowed" in refused.stderr

    login = grader(
        "login", "--server", real_server.url, "-u", "teacher", input=f"{DEMO_PASSWORD}\n"
    )
    assert login.exit_code == 0, login.output
    pushed = grader("challenge", "push", str(folder))
    assert pushed.exit_code == 0, pushed.output
    assert "ping version 1 is published." in pushed.stdout
    assert "mutants/ping-pong-swapped" in pushed.stdout
    assert "ping" in [row["slug"] for row in json.loads(grader("challenges", "--json").stdout)]

    (folder / "mutants" / "ping-pong-swapped" / "app.py").write_text(
        (folder / "solution" / "app.py").read_text()
    )
    invalid = grader("challenge", "push", str(folder))
    assert invalid.exit_code == 1, invalid.output
    assert "ping version 2 was NOT published" in invalid.stdout
