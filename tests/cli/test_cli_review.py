"""`grader similarity` and the review in `grader status`, against a real server (`grader serve`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from real_server import grader_serve, serve_env

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "server"))

from similarity_support import HONEST, disguise, write_notes_challenge

GRADER = [sys.executable, "-m", "grader.client"]
TEACHER_PASSWORD = "review-teacher-pw"


@dataclass
class Server:
    url: str
    tokens: dict[str, str]
    submissions: dict[str, int]


def token(url: str, name: str, password: str) -> str:
    answer = requests.post(f"{url}/api/v1/tokens", json={"username": name, "password": password},
                           timeout=30)
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def hand_in(url: str, bearer: str, text: str) -> int:
    answer = requests.post(f"{url}/api/v1/submissions", headers={"Authorization": f"Bearer {bearer}"},
                           data={"challenge": "notes-api"},
                           files={"app.py": ("app.py", text.encode())}, timeout=30)
    assert answer.status_code == 202, answer.text
    sid = answer.json()["id"]
    for _ in range(600):
        record = requests.get(f"{url}/api/v1/submissions/{sid}", timeout=30,
                              headers={"Authorization": f"Bearer {bearer}"}).json()
        if record["status"] not in ("queued", "running"):
            assert record["status"] == "passed", record
            return sid
        subprocess.run(["sleep", "0.1"], check=True)
    raise AssertionError(f"submission {sid} was not graded")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`grader serve` grading with the local backend, three learners who handed in the notes
    challenge: ann and bob the same code (bob's disguised), cat her own."""
    tmp = tmp_path_factory.mktemp("grader-review")
    write_notes_challenge(tmp / "challenges")
    env = serve_env(tmp, GRADER_DEMO_PASSWORD=TEACHER_PASSWORD, GRADER_BACKEND="local",
                    GRADER_RATE_LIMIT="0")
    with grader_serve(tmp, env, students=("ann", "bob", "cat")) as url:
        tokens = {name: token(url, name, f"{name}-password") for name in ("ann", "bob", "cat")}
        tokens["teacher"] = token(url, "teacher", TEACHER_PASSWORD)
        texts = {"ann": HONEST["honest_closures"],
                 "bob": disguise(HONEST["honest_closures"], seed=9),
                 "cat": HONEST["honest_dataclass"]}
        ids = {name: hand_in(url, tokens[name], text) for name, text in texts.items()}
        yield Server(url, tokens, ids)


def grader(server: Server, user: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRADER_SERVER": server.url, "GRADER_TOKEN": server.tokens[user],
           "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run([*GRADER, *args], env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def test_similarity_prints_the_copy_first(server):
    result = grader(server, "teacher", "similarity", "notes-api", "--threshold", "0")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "3 learners' best submissions of notes-api, 3 pairs compared."
    assert lines[1].split() == ["similarity", "learners", "submissions", "matches"]
    first = lines[3].split()
    assert first[1:4] == ["ann", "/", "bob"] and int(first[0].rstrip("%")) >= 85
    assert first[4:7] == [str(server.submissions["ann"]), "/", str(server.submissions["bob"])]
    # the honest pairs (those sharing anything at all) follow, far below
    assert 4 <= len(lines) <= 6 and all(int(row.split()[0].rstrip("%")) < 50 for row in lines[4:])
    body = json.loads(grader(server, "teacher", "similarity", "notes-api", "--json").stdout)
    assert [sorted(p["users"]) for p in body["pairs"]] == [["ann", "bob"]]
    assert all(len(m) == 4 for m in body["pairs"][0]["matches"])


def test_similarity_is_for_teachers(server):
    result = grader(server, "ann", "similarity", "notes-api")
    assert result.returncode == 2
    assert "Not allowed" in result.stderr and "teacher" in result.stderr


def test_status_prints_the_review_under_the_record(server):
    sid = server.submissions["cat"]
    headers = {"Authorization": f"Bearer {server.tokens['teacher']}"}
    made = requests.post(f"{server.url}/api/v1/submissions/{sid}/comments", headers=headers,
                         json={"path": "app.py", "line": 3, "body": "Import only what you use"},
                         timeout=30)
    assert made.status_code == 201, made.text
    changed = requests.put(f"{server.url}/api/v1/submissions/{sid}/override", headers=headers,
                           json={"score": 90, "reason": "current_app is fine here"}, timeout=30)
    assert changed.status_code == 200, changed.text
    result = grader(server, "cat", "status", str(sid))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Score set by teacher: 90 (the tests gave 100): current_app is fine here" in out
    assert "Review comments (1, 1 new):" in out
    assert "  app.py:3  new teacher (reviewer)," in out and "    Import only what you use" in out
    assert out.index("passed: 90/100 points") < out.index("Review comments")
    # read now: the next look shows it without the mark, and --json carries the comments
    again = json.loads(grader(server, "cat", "status", str(sid), "--json").stdout)
    assert again["score"] == 90 and again["override"]["by"] == "teacher"
    assert [(c["body"], c["new"]) for c in again["comments"]] == [("Import only what you use",
                                                                   False)]
