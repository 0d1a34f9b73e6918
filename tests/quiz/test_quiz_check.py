"""The quiz section of `grader challenge check`, with the local backend (no Docker needed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from quiz_support import CHALLENGES, DEMO

from runner import load_challenge
from runner.check import check_challenge, format_table
from runner.quiz import QuizError, compute_predictions, load_quiz

SECRET_ECHO = Path(__file__).resolve().parents[1] / "sandbox" / "challenges" / "secret-echo"
SMALL_QUIZ = '''
[[questions]]
id = "echo"
kind = "choice"
concepts = ["request.object"]
points = 1
prompt = "What does the app echo?"
[[questions.choices]]
text = "The secret"
correct = true
feedback = "Yes."
[[questions.choices]]
text = "Nothing"
feedback = "It does echo."
'''


def test_a_good_quiz_only_challenge_is_ok():
    report = check_challenge(DEMO, backend="local")
    assert report.ok, format_table(report)
    assert report.rows == [] and report.quiz_only
    assert set(report.quiz.expected) == {"converter-mismatch", "json-echo", "gone-away"}
    assert [f.id for f in report.quiz.fills] == ["int-converter", "child-template"]


def test_bad_questions_are_refused_one_by_one():
    report = check_challenge(CHALLENGES / "quiz-mistakes", backend="local")
    assert not report.ok
    assert [p.split("'")[1] for p in report.quiz.problems] == [
        "long-body", "no-location", "wrong-reference", "passes-empty"]


def test_a_challenge_with_tests_and_a_quiz_needs_both_valid(tmp_path):
    folder = tmp_path / "secret-echo"
    shutil.copytree(SECRET_ECHO, folder)
    (folder / "quiz.toml").write_text(SMALL_QUIZ)
    good = check_challenge(folder, backend="local")
    assert good.ok, format_table(good)
    assert not good.quiz_only and len(good.rows) == 3
    table = format_table(good)
    assert "Quiz (1 question, 1 point)" in table and "echo  choice   1 of 2 choices right" in table
    assert table.endswith("OK: the solution scores full points and everything else less; "
                          "the quiz is valid.")
    (folder / "quiz.toml").write_text(SMALL_QUIZ.replace("correct = true", "correct = 1"))
    bad = check_challenge(folder, backend="local")
    assert all(row.ok for row in bad.rows) and not bad.ok
    assert bad.quiz.problems == [("quiz.toml: question 'echo': choices[0]: correct must be true "
                                 "or false")]
    assert "NOT OK" in format_table(bad)
    assert json.loads(json.dumps(bad.to_dict()))["quiz"]["ok"] is False


def test_a_challenge_without_a_quiz_has_no_quiz_section():
    report = check_challenge(SECRET_ECHO, backend="local")
    assert report.ok and report.quiz is None and report.to_dict()["quiz"] is None
    assert "Quiz" not in format_table(report)


def test_a_quiz_only_challenge_still_needs_its_statement(tmp_path):
    folder = tmp_path / "quiz-demo"
    shutil.copytree(DEMO, folder)
    (folder / "statement.md").unlink()
    report = check_challenge(folder, backend="local")
    assert not report.ok and report.problems == ["statement.md is missing"]


def test_compute_predictions_names_the_question_that_failed():
    folder = CHALLENGES / "predict-isolation"
    with pytest.raises(QuizError, match="^question 'breaks-at-import': the app did not answer"):
        compute_predictions(load_quiz(folder), load_challenge(folder), backend="local")
