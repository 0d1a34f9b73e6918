"""End to end: what a hidden test passes never reaches the learner, on any channel.

A real server grades, in the real sandbox, a submission that echoes every input it gets into
exceptions, output, a crash and a content type. The hidden value ("kumquat...") must be absent
from the API record, the submission page, the Socket.IO events and `grader status`/`submit`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import socketio
from processes import ROOT, create_user, server_env, web_server

SANDBOX = ROOT / "tests" / "sandbox"
sys.path.insert(0, str(SANDBOX))

from hostile_code import HIDDEN_INPUT_ATTACKS  # noqa: E402 - after the path set-up above

PASSWORD = "correct-horse-9"
SECRET = "kumquat"

pytestmark = pytest.mark.docker


def token(base: str, username: str) -> str:
    reply = requests.post(f"{base}/api/v1/tokens", json={"username": username,
                                                         "password": PASSWORD}, timeout=10)
    assert reply.status_code == 201, reply.text
    return reply.json()["token"]


def listen(base: str, bearer: str, events: list) -> socketio.Client:
    client = socketio.Client()
    lock = threading.Lock()

    def record(name: str):
        def handler(data):
            with lock:
                events.append({"name": name, "data": data})
        return handler

    for name in ("submission.update", "test.result", "leaderboard.update"):
        client.on(name, record(name), namespace="/live")
    client.connect(base, namespaces=["/live"], auth={"token": bearer}, wait_timeout=10)
    return client


def page_as(base: str, username: str, path: str) -> str:
    session = requests.Session()
    login = session.get(f"{base}/auth/login", timeout=10).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
    session.post(f"{base}/auth/login", data={"username": username, "password": PASSWORD,
                                             "csrf_token": csrf}, timeout=10)
    page = session.get(f"{base}{path}", timeout=10)
    assert page.status_code == 200 and page.url == f"{base}{path}", page.url  # not the login
    return page.text


def cli(base: str, bearer: str, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GRADER_SERVER": base, "GRADER_TOKEN": bearer,
           "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(cwd / ".xdg")}
    return subprocess.run([sys.executable, "-m", "grader.client", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_a_learner_never_sees_the_hidden_inputs(tmp_path, docker_engine):
    challenges = tmp_path / "challenges"
    shutil.copytree(SANDBOX / "challenges" / "hidden-inputs", challenges / "hidden-inputs")
    env = server_env(tmp_path / "instance", GRADER_BACKEND="docker",
                     GRADER_CHALLENGES_DIR=str(challenges), GRADER_RUNNER_IMAGE=docker_engine,
                     GRADER_WORKERS="1")
    work = tmp_path / "work"
    work.mkdir()
    (work / "app.py").write_text(HIDDEN_INPUT_ATTACKS["echo-hidden-inputs"]["app.py"])
    with web_server(env) as server:
        create_user(env, "ann", PASSWORD)
        create_user(env, "teach", PASSWORD, role="teacher")
        ann, teach = token(server.url, "ann"), token(server.url, "teach")
        learner_events: list = []
        teacher_events: list = []
        clients = [listen(server.url, ann, learner_events),
                   listen(server.url, teach, teacher_events)]
        try:
            submitted = cli(server.url, ann, work, "submit", "hidden-inputs", "app.py")
            assert submitted.returncode == 1, submitted.stderr  # graded, not all passed
            mine = requests.get(f"{server.url}/api/v1/submissions",
                                headers={"Authorization": f"Bearer {ann}"}, timeout=10).json()
            sub_id = mine["submissions"][0]["id"]
            record = requests.get(f"{server.url}/api/v1/submissions/{sub_id}",
                                  headers={"Authorization": f"Bearer {ann}"}, timeout=10).json()
            status_text = cli(server.url, ann, work, "status", str(sub_id))
            status_json = cli(server.url, ann, work, "status", str(sub_id), "--json")
            page = page_as(server.url, "ann", f"/submissions/{sub_id}")
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not any(
                    e["name"] == "submission.update" and e["data"]["status"] == "failed"
                    for e in learner_events):
                time.sleep(0.1)
        finally:
            for client in clients:
                client.disconnect()

    assert record["status"] == "failed" and record["score"] == 0
    assert len(record["tests"]) == 9
    # the failures are there, and say where and what, but not the value
    path = next(t for t in record["tests"] if t["id"].endswith("test_path"))
    assert path["message"] == ("Your code raised an exception in app.py, line 13 "
                               "(during GET /items/<name>)")
    assert "app.py, line 13 (during GET /items/&lt;name&gt;)" in page  # escaped in HTML
    tests_seen = [e for e in learner_events if e["name"] == "test.result"]
    assert len(tests_seen) == 9 and [e for e in teacher_events if e["name"] == "test.result"]
    channels = {"API record": json.dumps(record), "submission page": page,
                "learner's events": json.dumps(learner_events),
                "teacher's events": json.dumps(teacher_events),
                "grader submit": submitted.stdout + submitted.stderr,
                "grader status": status_text.stdout + status_text.stderr,
                "grader status --json": status_json.stdout}
    for channel, text in channels.items():
        assert SECRET not in text.lower(), f"the hidden input reached the {channel}"
    assert "FAIL" in submitted.stdout and "app.py, line 13" in status_text.stdout
