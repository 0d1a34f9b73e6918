"""`grader serve`: first start, a Docker engine that is down, and a restart with work pending."""

from __future__ import annotations

import time

import requests
from server_support import SOLUTION
from processes import create_user, server_env, web_server

PASSWORD = "correct-horse-9"


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
        assert token.status_code == 201 and token.json()["role"] == "teacher"
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
