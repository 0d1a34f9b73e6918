"""`grader serve`: its first lines, SIGTERM mid-grading, an engine that is down, a restart."""

from __future__ import annotations

import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from processes import create_user, grader_serve, server_env, web_server
from server_support import SOLUTION

from grader.serve import MODE_LINE

PASSWORD = "correct-horse-9"
SLEEPY = Path(__file__).resolve().parent / "challenges"  # sleepy-hello: a grading that waits
SLEEPY_SOLUTION = (SLEEPY / "sleepy-hello" / "solution" / "app.py").read_bytes()
WERKZEUG_WARNINGS = ("development server", "production deployment", "WARNING")


def poll(url: str, predicate, headers: dict | None = None, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        body = requests.get(url, headers=headers, timeout=10).json()
        if predicate(body):
            return body
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting on {url}: last answer {body}")


def read_until(log, text: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = log.read_text()
        if text in content:
            return content
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not in server output:\n{log.read_text()}")


def test_first_start_prints_url_and_demo_login_once(tmp_path):
    env = server_env(tmp_path / "instance")
    with web_server(env) as (base, log, _):
        output = read_until(log, "Demo teacher login")
        assert f"running at {base}/" in output
        assert "Demo teacher login: teacher / demo-teacher-pass  (shown only once)" in output
        slugs = [c["slug"] for c in requests.get(f"{base}/api/v1/challenges",
                                                 timeout=10).json()["challenges"]]
        assert slugs == ["hello-routes"]
        token = requests.post(f"{base}/api/v1/tokens", json={
            "username": "teacher", "password": "demo-teacher-pass"}, timeout=10)
        # The demo teacher is the embedded server's admin (its operator).
        assert token.status_code == 201 and token.json()["role"] == "admin"
    with web_server(env) as (_, log, _):
        output = read_until(log, "Demo teacher login")
        assert "demo-teacher-pass" not in output


def test_bad_setting_stops_serve_with_one_line(tmp_path):
    import subprocess
    import sys

    from processes import ROOT

    env = server_env(tmp_path / "instance", GRADER_QUEUE="sometimes")
    result = subprocess.run([sys.executable, "-m", "grader.serve", "--port", "1"], check=False,
                            cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == ("Error: GRADER_QUEUE must be one of thread, celery, "
                                     "got 'sometimes'")


def test_engine_down_pauses_then_restart_grades_the_queued_work(tmp_path):
    down = server_env(tmp_path / "instance", GRADER_BACKEND="docker",
                      DOCKER_HOST=f"unix://{tmp_path}/no-docker.sock", GRADER_ENGINE_RETRY_S="1")
    with web_server(down) as (base, _, _):
        create_user(down, "ann", PASSWORD)
        token = requests.post(f"{base}/api/v1/tokens", json={"username": "ann",
                                                             "password": PASSWORD},
                              timeout=10).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        response = requests.post(f"{base}/api/v1/submissions", headers=headers,
                                 data={"challenge": "hello-routes"},
                                 files={"app.py": ("app.py", SOLUTION)}, timeout=10)
        assert response.status_code == 202
        sub_id = response.json()["id"]
        status = poll(f"{base}/api/v1/status", lambda s: s["paused"])
        assert "Docker engine" in status["message"] and status["pending"] == 1
        assert poll(f"{base}/api/v1/submissions/{sub_id}", lambda r: True,
                    headers)["status"] == "queued"
        session = requests.Session()
        session.post(f"{base}/auth/login", data={"username": "ann", "password": PASSWORD},
                     timeout=10)
        page = session.get(f"{base}/challenges/", timeout=10).text
        assert "Grading is paused" in page
    # The engine is back (here: the local backend) and the server restarts.
    with web_server(server_env(tmp_path / "instance")) as (base, _, _):
        record = poll(f"{base}/api/v1/submissions/{sub_id}",
                      lambda r: r["status"] not in ("queued", "running"), headers)
        assert record["status"] == "passed" and record["score"] == 100
        assert requests.get(f"{base}/api/v1/status", timeout=10).json()["paused"] is False


def test_the_schema_upgrade_at_start_keeps_the_servers_logging(tmp_path, monkeypatch, capfd):
    """Building the schema at start-up disables none of the server's loggers (its errors would
    go unlogged) and prints nothing of its own before the URL line."""
    import logging

    from grader import create_app
    from grader.serve import prepare

    monkeypatch.setenv("GRADER_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("GRADER_DEMO_PASSWORD", "demo-teacher-pass")
    watched = [logging.getLogger(name) for name in (
        "grader.services.jobs", "grader.queue", "runner.grading", "werkzeug")]
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'grader.sqlite3'}",
                      "SECRET_KEY": "end-to-end-secret-key-0123456789",
                      "GRADER_CHALLENGES_DIR": str(SLEEPY), "GRADER_BACKEND": "local",
                      "GRADER_RECOVER_ON_START": False})
    try:
        assert prepare(app) == "demo-teacher-pass"
        assert [logger.name for logger in watched if logger.disabled] == []
        out, err = capfd.readouterr()
        assert (out, err) == ("", "")
    finally:
        app.extensions["grader_queue"].shutdown(wait=True)


def sandboxes_of(pid: int) -> list:
    """Every container, in any state, whose owner label names this process on this host."""
    import docker

    owner = f"flask-grader.owner={socket.gethostname()}:{pid}"
    return docker.from_env().containers.list(all=True, sparse=True, filters={"label": owner})


def stored_submission(instance: Path, sub_id: int) -> tuple[str, int, str | None]:
    with sqlite3.connect(instance / "grader.sqlite3") as database:
        return database.execute("SELECT status, attempts, started_at FROM submissions WHERE id = ?",
                                (sub_id,)).fetchone()


@pytest.mark.docker
def test_sigterm_mid_grading_exits_cleanly_and_gives_the_attempt_back(tmp_path, docker_engine):
    """`grader serve` says what it is, then SIGTERM during a sandboxed grading: exit 0 at once,
    the submission queued again with no attempt spent, none of its sandboxes left behind."""
    instance = tmp_path / "instance"
    env = server_env(instance, GRADER_BACKEND="docker", GRADER_CHALLENGES_DIR=str(SLEEPY),
                     GRADER_RUNNER_IMAGE=docker_engine)
    pid = None
    try:
        with grader_serve(env) as (server, proc):
            pid = proc.pid
            lines = read_until(server.log, "Press Ctrl+C to stop.").splitlines()
            assert lines[:2] == [f"Flask concept grader running at {server.url}/", MODE_LINE]
            assert "Embedded single-process server (SQLite, in-process grading)" in lines[1]
            create_user(env, "ann", PASSWORD)
            token = requests.post(f"{server.url}/api/v1/tokens", json={
                "username": "ann", "password": PASSWORD}, timeout=10).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            response = requests.post(f"{server.url}/api/v1/submissions", headers=headers,
                                     data={"challenge": "sleepy-hello"},
                                     files={"app.py": ("app.py", SLEEPY_SOLUTION)}, timeout=10)
            assert response.status_code == 202, response.text
            sub_id = response.json()["id"]
            # The quick test has reported: the sandbox is now inside the 8 s one.
            poll(f"{server.url}/api/v1/submissions/{sub_id}",
                 lambda r: r["status"] == "running" and len(r["tests"]) == 1, headers, 90)
            assert stored_submission(instance, sub_id)[:2] == ("running", 1)
            # The label names this process: "none left" below is about the right containers.
            assert any(c.status == "running" for c in sandboxes_of(pid))
            stopped_at = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(30)
            took = time.monotonic() - stopped_at
            output = server.log.read_text()
        assert (code, took < 10) == (0, True), f"exit {code} after {took:.1f} s:\n{output}"
        assert output.rstrip().endswith(
            "Stopped. 1 grading(s) in progress went back to the queue."), output
        for warning in WERKZEUG_WARNINGS:
            assert warning.lower() not in output.lower(), output
        assert stored_submission(instance, sub_id) == ("queued", 0, None)
        deadline = time.monotonic() + 5
        while sandboxes_of(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [(c.short_id, c.status) for c in sandboxes_of(pid)]
        assert not left, f"sandboxes of the stopped server left behind: {left}"
    finally:
        if pid is not None:  # whatever the outcome, this test's containers do not outlive it
            for container in sandboxes_of(pid):
                container.remove(force=True)


SERVE_AND_REPORT = """
import sys
import werkzeug.serving
from grader import serve

class Reporting:
    def __init__(self, *args, **kwargs):
        pass
    def serve_forever(self):
        print("switch interval", sys.getswitchinterval(), flush=True)
        raise KeyboardInterrupt
    def server_close(self):
        pass

werkzeug.serving.make_server = Reporting
serve.main(["--port", "0"])
"""


def test_the_embedded_server_lets_threads_hold_the_gil_longer_for_broadcasts(tmp_path):
    """While it serves, the threads of `grader serve` switch every 20 ms, not CPython's 5 ms
    (bench/bench_server.py shows what that does to a broadcast to 1,000 clients)."""
    from grader.live import SWITCH_INTERVAL_S

    env = server_env(tmp_path / "instance")
    done = subprocess.run([sys.executable, "-c", SERVE_AND_REPORT], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"switch interval {SWITCH_INTERVAL_S}" in done.stdout.splitlines(), done.stdout
    assert sys.getswitchinterval() != SWITCH_INTERVAL_S  # the test process itself is untouched


def test_the_gunicorn_worker_lets_threads_hold_the_gil_longer_for_broadcasts():
    from grader import gunicorn_conf
    from grader.live import SWITCH_INTERVAL_S

    before_interval = sys.getswitchinterval()
    before_handler = signal.getsignal(signal.SIGTERM)
    try:
        gunicorn_conf.post_worker_init(object())
        assert sys.getswitchinterval() == SWITCH_INTERVAL_S != before_interval
    finally:
        sys.setswitchinterval(before_interval)
        signal.signal(signal.SIGTERM, before_handler)
