"""The course commands against a real `grader serve`: join, courses, submit --course,
quiz --course, gradebook.

The server grades with the local backend (a subprocess, no sandbox): these tests are about
courses, not isolation, so they need no Docker.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from real_server import grader_serve, serve_env

ROOT = Path(__file__).resolve().parents[2]
HELLO = ROOT / "tests" / "server" / "data" / "hello-routes"
QUIZ_ROUTES = ROOT / "tests" / "server" / "quiz_data" / "quiz-routes"
# quiz-routes' choice, order and predict questions, right: 9 of its 12 points (no fill to run)
QUIZ_ANSWERS = {qid: answer for qid, answer in json.loads(
    (QUIZ_ROUTES.parent / "quiz-routes-answers.json").read_text(encoding="utf-8")).items()
    if qid != "dynamic-rule"}
GRADER = [sys.executable, "-m", "grader.client"]
TEACHER_PASSWORD = "course-teacher-pw"


@dataclass
class CourseServer:
    url: str
    teacher: dict[str, str]
    code: str


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CourseServer]:
    """`grader serve` with hello-routes, learners ann and bob, and a course that ann joins."""
    tmp = tmp_path_factory.mktemp("grader-courses")
    shutil.copytree(HELLO, tmp / "challenges" / "hello-routes")
    shutil.copytree(QUIZ_ROUTES, tmp / "challenges" / "quiz-routes")
    env = serve_env(tmp, GRADER_DEMO_PASSWORD=TEACHER_PASSWORD, GRADER_BACKEND="local",
                    GRADER_RATE_LIMIT="0")
    with grader_serve(tmp, env, students=("ann", "bob")) as url:
        token = requests.post(f"{url}/api/v1/tokens", timeout=10, json={
            "username": "teacher", "password": TEACHER_PASSWORD}).json()["token"]
        teacher = {"Authorization": f"Bearer {token}"}
        created = requests.post(f"{url}/api/v1/courses", headers=teacher, timeout=10, json={
            "slug": "flask-101", "title": "Flask 101", "time_zone": "Europe/Paris"})
        assert created.status_code == 201, created.text
        now = datetime.now(UTC)
        # Due two hours ago: what ann hands in now is late, at 80 % credit.
        assigned = requests.put(
            f"{url}/api/v1/courses/flask-101/assignments/hello-routes", headers=teacher,
            timeout=10, json={"opens_at": z(now - timedelta(days=2)),
                              "due_at": z(now - timedelta(hours=2)),
                              "late_policy": [{"until_hours": 24, "credit": 80}]})
        assert assigned.status_code == 200, assigned.text
        yield CourseServer(url, teacher, created.json()["join_code"])


def login(grader, server: CourseServer, name: str, password: str) -> None:
    result = grader("login", "--server", server.url, "-u", name, input=f"{password}\n")
    assert result.exit_code == 0, result.output


def test_a_learner_joins_hands_in_late_work_and_the_gradebook_shows_its_credit(grader, server, isolated_home):
    login(grader, server, "ann", "ann-password")
    assert "You are in no course yet" in grader("courses").stdout
    joined = grader("join", server.code.lower())
    assert joined.exit_code == 0, joined.output
    assert "You are in Flask 101 (flask-101) as student" in joined.stdout
    listing = grader("courses")
    assert "flask-101" in listing.stdout and "Europe/Paris" in listing.stdout
    detail = grader("courses", "flask-101")
    assert detail.exit_code == 0, detail.output
    assert "hello-routes" in detail.stdout and "late" in detail.stdout
    assert "times in Europe/Paris" in detail.stdout

    shutil.copy(HELLO / "solution" / "app.py", isolated_home / "app.py")
    handed_in = grader("submit", "hello-routes", "app.py", "--course", "flask-101")
    assert handed_in.exit_code == 0, handed_in.output
    last = handed_in.stdout.strip().splitlines()[-1]
    assert "flask-101: graded 100/100, 80% credit: 80" in last and "h late)" in last
    record = json.loads(grader("submissions", "--json").stdout)[0]
    assert (record["course"], record["credit"], record["credited_score"]) == (
        "flask-101", 80, 80)
    shown = grader("status", str(record["id"]))
    assert "course flask-101" in shown.stdout and "80% credit: 80" in shown.stdout
    mine = json.loads(grader("courses", "flask-101", "--json").stdout)
    assert mine["assignments"][0]["credited_score"] == 80

    refused = grader("gradebook", "flask-101")
    assert refused.exit_code == 2 and "Not allowed" in refused.stderr

    # The teacher hands the gradebook to the registrar.
    login(grader, server, "teacher", TEACHER_PASSWORD)
    table = grader("gradebook", "flask-101")
    assert table.exit_code == 0, table.output
    assert "ann" in table.stdout and "80" in table.stdout
    rows = list(csv.reader(io.StringIO(grader("gradebook", "flask-101", "--csv").stdout)))
    assert rows[0] == ["username", "hello-routes", "total", "late", "missing"]
    assert rows[1] == ["ann", "80", "80", "hello-routes", ""]
    book = json.loads(grader("gradebook", "flask-101", "--json").stdout)
    assert book["rows"][0]["scores"] == {"hello-routes": 80}
    both = grader("gradebook", "flask-101", "--csv", "--json")
    assert both.exit_code == 2


def test_a_closed_assignment_is_refused_for_the_course_but_taken_as_practice(
        grader, server, isolated_home):
    now = datetime.now(UTC)
    closed = requests.put(f"{server.url}/api/v1/courses/flask-101/assignments/hello-routes",
                          headers=server.teacher, timeout=10,
                          json={"closes_at": z(now - timedelta(hours=1))})
    assert closed.status_code == 200, closed.text
    login(grader, server, "bob", "bob-password")
    assert grader("join", server.code).exit_code == 0
    shutil.copy(HELLO / "solution" / "app.py", isolated_home / "app.py")
    refused = grader("submit", "hello-routes", "--course", "flask-101")
    assert refused.exit_code == 2
    assert "closed in 'flask-101'" in refused.stderr and "Europe/Paris" in refused.stderr
    practice = grader("submit", "hello-routes", "--no-wait")
    assert practice.exit_code == 0, practice.output
    assert "counts for" not in practice.stdout
    unknown = grader("join", "NOTACODE")
    assert unknown.exit_code == 2 and "No course has the join code" in unknown.stderr


def test_a_quiz_answered_for_a_course_takes_its_late_credit(grader, server, isolated_home):
    now = datetime.now(UTC)
    assigned = requests.put(
        f"{server.url}/api/v1/courses/flask-101/assignments/quiz-routes", headers=server.teacher,
        timeout=10, json={"opens_at": z(now - timedelta(days=2)),
                          "due_at": z(now - timedelta(hours=2)),
                          "late_policy": [{"until_hours": 24, "credit": 80}]})
    assert assigned.status_code == 200, assigned.text
    login(grader, server, "ann", "ann-password")
    assert grader("join", server.code).exit_code == 0
    (isolated_home / "answers.json").write_text(json.dumps({"answers": QUIZ_ANSWERS}))
    shown = grader("quiz", "quiz-routes", "--answers", "answers.json", "--course", "flask-101")
    assert shown.exit_code == 1, shown.output  # the fill question is left unanswered
    assert "flask-101: graded 9/12, 80% credit: 7" in shown.stdout
    record = json.loads(grader("quiz", "quiz-routes", "--answers", "answers.json",
                               "--course", "flask-101", "--json").stdout)
    assert (record["kind"], record["course"], record["credit"], record["credited_score"]) == (
        "quiz", "flask-101", 80, 7)
    practice = json.loads(grader("quiz", "quiz-routes", "--answers", "answers.json",
                                 "--json").stdout)
    assert (practice["course"], practice["credited_score"]) == (None, 9)
    mine = json.loads(grader("courses", "flask-101", "--json").stdout)
    row = next(a for a in mine["assignments"] if a["challenge"] == "quiz-routes")
    assert (row["credited_score"], row["quiz_credited_score"], row["total_points"]) == (
        7, 7, 112)
    outside = grader("quiz", "quiz-routes", "--answers", "answers.json", "--course", "nope")
    assert outside.exit_code == 2 and outside.stderr
