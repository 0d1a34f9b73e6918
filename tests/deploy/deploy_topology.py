"""Shared names of the scale-out topology test: where things are, and the running topology."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
# A tiny challenge with a generous time limit, so a busy machine slows the test, not the verdicts.
CHALLENGES_DIR = Path(__file__).resolve().parent / "challenges"
CHALLENGE = "scale-greeting"
LEARNERS = 20
PASSWORD = "topology-pass-1"
TEACHER = "teacher"


@dataclass
class Topology:
    """Addresses and handles of the running topology."""

    web: list[str]
    database_url: str
    redis_url: str
    env: dict[str, str]
    workers: list[str]
    logs: dict[str, Path] = field(default_factory=dict)

    def tail(self, lines: int = 40) -> str:
        """The end of every process log, for a failure message."""
        out = []
        for name, path in self.logs.items():
            text = path.read_text(errors="replace").splitlines()[-lines:] if path.exists() else []
            out.append(f"--- {name} ---\n" + "\n".join(text))
        return "\n".join(out)


def server_env(tmp: Path, database_url: str, redis_url: str, image: str) -> dict[str, str]:
    """The environment every server process shares (the .env of compose)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    env.update({
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "GRADER_QUEUE": "celery",
        "GRADER_DATABASE_URL": database_url,
        "GRADER_REDIS_URL": redis_url,
        "GRADER_SECRET_KEY": "topology-secret-key-0123456789",
        "GRADER_BACKEND": "docker",
        "GRADER_RUNNER_IMAGE": image,
        "GRADER_CHALLENGES_DIR": str(CHALLENGES_DIR),
        "GRADER_WORKERS": "2",
        "GRADER_WEB_THREADS": "40",
        "GRADER_LOG_LEVEL": "INFO",
    })
    return env


def flask_cli(env: dict[str, str], instance: Path, *args: str, stdin: str | None = None) -> str:
    """`flask --app grader ARGS` as an operator runs it; fails the test with its output."""
    result = subprocess.run(["flask", "--app", "grader", *args], env={
        **env, "GRADER_INSTANCE_PATH": str(instance)}, input=stdin, capture_output=True,
        text=True, timeout=180, cwd=ROOT, check=False)
    if result.returncode != 0:
        pytest.fail(f"flask --app grader {' '.join(args)} exited {result.returncode}:\n"
                    f"{result.stdout}\n{result.stderr}", pytrace=False)
    return result.stdout


CREATE_LEARNERS = """
import sys
from grader import create_app

app = create_app()
cli = app.test_cli_runner()
for i in range(1, int(sys.argv[1]) + 1):
    result = cli.invoke(args=["users", "create", f"learner{i:02d}", "--role", "student",
                              "--password-stdin"], input=sys.argv[2] + "\\n")
    if result.exit_code != 0:
        sys.exit(f"users create learner{i:02d}: {result.output}")
"""


def create_learners(env: dict[str, str], instance: Path, count: int) -> None:
    """learner01..learnerNN via `flask --app grader users create`, run in one process."""
    result = subprocess.run([sys.executable, "-c", CREATE_LEARNERS, str(count), PASSWORD],
                            env={**env, "GRADER_INSTANCE_PATH": str(instance)},
                            capture_output=True, text=True, timeout=180, cwd=ROOT, check=False)
    if result.returncode != 0:
        pytest.fail(f"creating learners failed:\n{result.stdout}\n{result.stderr}", pytrace=False)


def stop_all(procs: list[subprocess.Popen]) -> None:
    """A graceful stop (workers finish their jobs and remove their warm sandboxes), in parallel."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    for proc in procs:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def wait_until(check: Callable[[], Any], timeout: float, what: str, topo: Topology) -> Any:
    """Poll `check` until it returns something true, and return that; fail with the logs if not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}\n{topo.tail()}", pytrace=False)


def web_ready(url: str) -> bool:
    try:
        return requests.get(f"{url}/api/v1/status", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def workers_ready(redis_url: str, names: list[str]) -> Callable[[], bool]:
    from celery import Celery

    probe = Celery("topology-probe", broker=redis_url)

    def check() -> bool:
        replies = probe.control.ping(destination=names, timeout=1.0)
        return {name for reply in replies for name in reply} == set(names)

    return check


def fresh_database(postgres_url: str, name: str) -> str:
    """A new, empty database on the tests' PostgreSQL server, so each module starts clean."""
    import psycopg

    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_url.rsplit("/", 1)[0] + "/" + name


def redis_database(redis_url: str, number: int) -> str:
    """Another numbered database of the tests' Redis, so brokers of two modules never mix."""
    return redis_url.rsplit("/", 1)[0] + f"/{number}"
