"""The Docker engine being down is a clear, fast error naming the socket tried."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from runner import EngineUnavailable, grade, load_challenge
from runner.docker_engine import connect

CHALLENGES = Path(__file__).parent / "challenges"
ROOT = Path(__file__).resolve().parents[2]


def test_engine_down_names_the_socket(monkeypatch, tmp_path):
    socket_path = tmp_path / "docker.sock"
    monkeypatch.setenv("DOCKER_HOST", f"unix://{socket_path}")
    start = time.monotonic()
    with pytest.raises(EngineUnavailable) as info:
        connect()
    assert str(socket_path) in str(info.value)
    assert "Is dockerd running?" in str(info.value)
    assert time.monotonic() - start < 5


def test_grade_raises_engine_unavailable_so_the_job_can_wait(tmp_path):
    code = (
        "import sys\n"
        "from runner import grade, load_challenge, EngineUnavailable\n"
        f"c = load_challenge({str(CHALLENGES / 'secret-echo')!r})\n"
        "try:\n"
        "    grade(c, {'app.py': b'x = 1'})\n"
        "except EngineUnavailable as exc:\n"
        "    print('UNAVAILABLE', exc)\n"
        "    sys.exit(0)\n"
        "sys.exit(1)\n"
    )
    env = {"DOCKER_HOST": f"unix://{tmp_path}/missing.sock", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "UNAVAILABLE" in done.stdout and "missing.sock" in done.stdout


def test_cli_reports_engine_down(tmp_path):
    env = {"DOCKER_HOST": f"unix://{tmp_path}/gone.sock", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "runner", "check", str(CHALLENGES / "secret-echo")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "gone.sock" in done.stderr and "Traceback" not in done.stderr


def test_local_backend_needs_no_engine(monkeypatch, tmp_path):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/none.sock")
    challenge = load_challenge(CHALLENGES / "secret-echo")
    solution = (challenge.solution_dir / "app.py").read_bytes()
    assert grade(challenge, {"app.py": solution}, backend="local").score == 100
