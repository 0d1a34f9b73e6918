"""`grader quiz` against a real server (`grader serve`) grading in the Docker sandbox."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from real_server import grader_serve, serve_env

from grader.client.http import GraderClient

ROOT = Path(__file__).resolve().parents[2]
QUIZ_ROUTES = ROOT / "tests" / "server" / "quiz_data" / "quiz-routes"
GRADER = [sys.executable, "-m", "grader.client"]
RIGHT = json.loads((QUIZ_ROUTES.parent / "quiz-routes-answers.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.docker


@dataclass
class QuizServer:
    url: str
    env: dict[str, str]


@pytest.fixture(scope="module")
def quiz_server(docker_engine: str, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[QuizServer]:
    """`grader serve` with the quiz-routes challenge (stored unchecked, as a first start does)."""
    tmp = tmp_path_factory.mktemp("grader-quiz")
    shutil.copytree(QUIZ_ROUTES, tmp / "challenges" / "quiz-routes")
    env = serve_env(tmp, GRADER_DEMO_PASSWORD="demo-teacher-pw", GRADER_RATE_LIMIT="0",
                    GRADER_RUNNER_IMAGE=docker_engine)
    with grader_serve(tmp, env, students=("ann", "bob")) as url:
        yield QuizServer(url, env)


def login(grader, server: QuizServer, name: str) -> None:
    result = grader("login", "--server", server.url, "-u", name, input=f"{name}-password\n")
    assert result.exit_code == 0, result.output


def shown(server: QuizServer, question_id: str) -> dict:
    """One question as the signed-in learner sees it (choices and lines in their own order)."""
    from grader.client import config

    client = GraderClient(server.url, config.load().token)
    try:
        view = client.quiz("quiz-routes")
    finally:
        client.close()
    return next(q for q in view["questions"] if q["id"] == question_id)


def test_answers_from_a_file_print_the_graded_record(grader, quiz_server, isolated_home):
    login(grader, quiz_server, "ann")
    (isolated_home / "answers.json").write_text(json.dumps({"answers": RIGHT}))
    result = grader("quiz", "quiz-routes", "--answers", "answers.json", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["kind"], record["status"], record["score"], record["max_score"]) == (
        "quiz", "passed", 12, 12)
    assert [q["status"] for q in record["questions"]] == ["correct"] * 5
    fill = record["questions"][4]
    assert fill["tests"][0]["status"] == "passed"  # graded in the sandbox
    board = json.loads(grader("leaderboard", "--json").stdout)
    assert board[0]["name"] == "ann" and board[0]["score"] == 12


def test_wrong_answers_exit_1_with_the_feedback(grader, quiz_server, isolated_home):
    login(grader, quiz_server, "bob")
    wrong = {**RIGHT, "route-decorator": [2], "missing-route": {"status": "four"}}
    (isolated_home / "answers.json").write_text(json.dumps({"answers": wrong}))
    result = grader("quiz", "quiz-routes", "--answers", "answers.json")
    assert result.exit_code == 1, result.output
    text = result.stdout
    assert "1. route-decorator (choice)\n   Wrong · 0/2 points" in text
    assert "A wrong choice: A route only matches its own rule" in text
    assert "Not a valid answer · 0/2 points\n     status must be a whole number" in text
    assert text.rstrip().endswith("failed: 8/12 points")


@pytest.mark.parametrize("content,message", [
    ("{not json", "is not JSON"),
    ('{"route-decorator": [0]}', 'must hold an object {"answers": {...}}'),
])
def test_a_bad_answers_file_exits_2_and_sends_nothing(grader, quiz_server, isolated_home,
                                                      content, message):
    login(grader, quiz_server, "bob")
    (isolated_home / "answers.json").write_text(content)
    result = grader("quiz", "quiz-routes", "--answers", "answers.json")
    assert result.exit_code == 2 and message in result.stderr
    missing = grader("quiz", "quiz-routes", "--answers", "nowhere.json")
    assert missing.exit_code == 2 and "Cannot read the answers file nowhere.json" in missing.stderr


def test_the_questions_asked_in_the_terminal_each_get_their_feedback(grader, quiz_server):
    login(grader, quiz_server, "ann")
    numbers = [str(n) for n, c in enumerate(shown(quiz_server, "route-parts")["choices"], 1)
               if c["id"] in RIGHT["route-parts"]]
    lines = shown(quiz_server, "hello-view")["lines"]
    order = [f"{lines.index(line.strip()) + 1} {line.count('    ')}"
             for line in RIGHT["hello-view"]]
    # Enter skips question 1; 'x' is not a choice number and is asked again.
    typed = ["", "x", " ".join(numbers), *order, "", "404", "<int:name>"]
    result = grader("quiz", "quiz-routes", input="\n".join(typed) + "\n")
    out = result.stdout
    assert "Question 1 of 5 · choice · 2 points" in out and "Skipped." in out
    assert "Type numbers from 1 to 3." in out
    # Each answer's feedback comes before the next question.
    assert out.index("Question 2 of 5") < out.index("Correct · 2/2") < out.index("Question 3")
    assert out.index("Question 3 of 5") < out.index("Correct · 3/3") < out.index("Question 4")
    assert "The longest stretch in the right order: 3 of 3 lines." in out
    assert "status: you said 404, the app answered 404 (right)" in out
    assert "FAIL The view greets by name" in out and "the name should come from the URL" in out
    assert result.exit_code == 1
    assert out.splitlines()[-1].endswith("failed: 7/12 points")


def test_without_a_login_the_quiz_is_not_sent(grader, quiz_server, isolated_home):
    (isolated_home / "answers.json").write_text(json.dumps({"answers": RIGHT}))
    result = grader("quiz", "quiz-routes", "--answers", "answers.json")
    assert result.exit_code == 2 and "not logged in" in result.stderr
