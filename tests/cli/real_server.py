"""A real `grader serve` for the command-line tests that talk to one (not the fake server)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from components import free_port, interrupt, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
GRADER = [sys.executable, "-m", "grader.client"]


def serve_env(tmp: Path, **settings: str) -> dict[str, str]:
    """This process's environment without its GRADER_* settings, an instance and challenges
    folder under `tmp`, and `settings` on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    env.update({"GRADER_INSTANCE_PATH": str(tmp / "instance"),
                "GRADER_CHALLENGES_DIR": str(tmp / "challenges"),
                "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp / "server-xdg"),
                **settings})
    return env


def create_student(env: dict[str, str], cwd: Path, name: str) -> None:
    """A learner account made with the operator command; the password is `<name>-password`."""
    made = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "grader", "users", "create", name,
         "--role", "student", "--password-stdin"], input=f"{name}-password\n", text=True,
        env=env, cwd=cwd, capture_output=True, check=False, timeout=60)
    assert made.returncode == 0, made.stderr


@contextlib.contextmanager
def grader_serve(tmp: Path, env: dict[str, str], students: tuple[str, ...] = (),
                 start_timeout: float = 90) -> Iterator[str]:
    """`grader serve` on a free loopback port with `students` made; yields its URL. Stopped
    with Ctrl-C (SIGINT), so it exits normally and removes its warm sandboxes."""
    port = free_port()
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen([*GRADER, "serve", "--port", str(port)], cwd=tmp, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        if not wait_for_port(port, timeout=start_timeout, proc=proc):
            pytest.fail(f"grader serve did not start:\n{(tmp / 'server.log').read_text()}")
        for name in students:
            create_student(env, tmp, name)
        yield f"http://127.0.0.1:{port}"
    finally:
        interrupt(proc, 15)
        log.close()
