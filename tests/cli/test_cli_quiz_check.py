"""`grader challenge check` on a folder with a quiz: the quiz section in the table and in JSON."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "tests" / "quiz" / "challenges" / "quiz-demo"
MISTAKES = ROOT / "tests" / "quiz" / "challenges" / "quiz-mistakes"


def test_the_table_shows_each_question(grader):
    result = grader("challenge", "check", str(DEMO), "--local")
    assert result.exit_code == 0, result.output
    assert "Quiz (8 questions, 22 points)" in result.stdout
    assert "json-echo           predict  status=200 body='{\"id\":3,\"name\":\"pen\",\"ok\":true}'" in result.stdout
    assert "child-template      fill     reference 1/1 passed, blanks empty 0/1" in result.stdout
    assert result.stdout.rstrip().endswith("OK: the quiz is valid.")


def test_json_carries_the_computed_answers(grader):
    result = grader("challenge", "check", str(DEMO), "--local", "--json")
    assert result.exit_code == 0, result.output
    quiz = json.loads(result.stdout)["quiz"]
    assert quiz["ok"] is True and quiz["questions"] == 8 and quiz["points"] == 22
    assert quiz["expected"]["gone-away"]["location"] == "/new"
    assert [f["id"] for f in quiz["fill"]] == ["int-converter", "child-template"]


def test_a_bad_quiz_exits_1_with_its_problems(grader):
    result = grader("challenge", "check", str(MISTAKES), "--local", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and len(report["quiz"]["problems"]) == 4
