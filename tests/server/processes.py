"""Real server and worker processes for end-to-end tests and the benchmark."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
BIN = Path(sys.executable).parent  # the virtualenv's scripts: grader, flask
sys.path.insert(0, str(ROOT / "tests"))

from components import free_port, interrupt, wait_for_port


class ServerProcess(NamedTuple):
    """A running server: its base URL, output log and process id."""

    url: str
    log: Path
    pid: int


def server_env(instance: Path, **overrides: str) -> dict[str, str]:
    """Environment for a server or worker sharing one instance folder and database."""
    env = {**os.environ,
           "GRADER_INSTANCE_PATH": str(instance),
           "GRADER_DATABASE_URL": f"sqlite:///{instance / 'grader.sqlite3'}",
           "GRADER_SECRET_KEY": "end-to-end-secret-key-0123456789",
           "GRADER_CHALLENGES_DIR": str(DATA),
           "GRADER_DEMO_PASSWORD": "demo-teacher-pass",
           "GRADER_BACKEND": "local",
           "GRADER_RATE_LIMIT": "0",
           "GRADER_LOGIN_RATE_LIMIT": "0",
           "GRADER_REGISTER_RATE_LIMIT": "0",
           "PYTHONUNBUFFERED": "1"}
    env.update(overrides)
    return env




@contextlib.contextmanager
def _serving(command: list[str], env: dict[str, str],
             port: int | None) -> Iterator[tuple[ServerProcess, subprocess.Popen]]:
    port = port or free_port()
    log = Path(tempfile.mkstemp(prefix="grader-web-", suffix=".log")[1])
    with open(log, "wb") as out:
        proc = subprocess.Popen([*command, "--port", str(port)], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        if not wait_for_port(port, timeout=60, proc=proc):
            raise RuntimeError(f"the server did not start:\n{log.read_text()}")
        yield ServerProcess(f"http://127.0.0.1:{port}", log, proc.pid), proc
    finally:
        interrupt(proc)


@contextlib.contextmanager
def web_server(env: dict[str, str], port: int | None = None) -> Iterator[ServerProcess]:
    """`python -m grader.serve` on a free port."""
    with _serving([sys.executable, "-m", "grader.serve"], env, port) as (server, _):
        yield server


@contextlib.contextmanager
def grader_serve(env: dict[str, str],
                 port: int | None = None) -> Iterator[tuple[ServerProcess, subprocess.Popen]]:
    """The installed `grader serve` command, as `make serve` runs it; yields the process too."""
    with _serving([str(BIN / "grader"), "serve"], env, port) as running:
        yield running


@contextlib.contextmanager
def celery_worker(env: dict[str, str], concurrency: int = 2) -> Iterator[Path]:
    """A real Celery worker process for GRADER_QUEUE=celery; yields its log file."""
    log = Path(tempfile.mkstemp(prefix="grader-worker-", suffix=".log")[1])
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "grader.tasks", "worker", "--pool", "threads",
             "--concurrency", str(concurrency), "--loglevel", "INFO", "--without-gossip",
             "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield log
    finally:
        interrupt(proc)


def create_user(env: dict[str, str], name: str, password: str, role: str = "student") -> None:
    """`flask --app grader users create` against the shared database."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "grader", "users", "create", name,
                    "--role", role, "--password-stdin"], cwd=ROOT, env=env, input=password + "\n",
                   text=True, check=True, capture_output=True, timeout=60)
