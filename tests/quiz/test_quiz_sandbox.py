"""Quizzes in the real sandbox: predict answers computed in one run, fill graded, checks refused."""

from __future__ import annotations

import json

import pytest
from quiz_support import CHALLENGES, DEMO, RIGHT

from runner import Verdict, load_challenge
from runner.check import check_challenge, format_table
from runner.quiz import compute_predictions, fill_runner, grade_answers, grade_fill, load_quiz
from runner.quiz.sandbox import run_in_sandbox

pytestmark = pytest.mark.docker

RECORDING_TESTS = '''
def test_plain(record_property):
    """Plain data comes out"""
    record_property("answer", {"status": 200, "parts": [1, "x", None, True]})


def test_not_plain(record_property):
    """Only plain values come out"""
    record_property("object", object())
    record_property("number", 7)


def test_too_big(record_property):
    """Nothing comes out when it is too large"""
    record_property("big", "x" * 20000)
'''


@pytest.fixture(scope="module")
def demo_check(docker_engine):
    return check_challenge(DEMO, backend="docker")


def test_record_property_values_leave_the_sandbox_as_data(docker_engine):
    parent = load_challenge(DEMO)
    result = run_in_sandbox(parent, slug="recording", entry="app:app", points=3, feedback="hints",
                            tests=RECORDING_TESTS, backend="docker",
                            app_files={"app.py": b"from flask import Flask\napp = Flask(__name__)\n"})
    assert result.status is Verdict.PASSED, result.message
    data = {t.id.split("::")[1]: t.data for t in result.tests}
    assert data == {"test_plain": {"answer": {"status": 200, "parts": [1, "x", None, True]}},
                    "test_not_plain": {"number": 7}, "test_too_big": {}}
    assert all("data" not in t.to_dict() for t in result.tests), "learners never see data"
    assert '"data"' not in json.dumps(result.to_dict())


def test_the_demo_quiz_is_valid_and_its_answers_computed(demo_check):
    assert demo_check.ok, format_table(demo_check)
    expected = demo_check.quiz.expected
    assert expected["converter-mismatch"]["status"] == 404
    echo = expected["json-echo"]
    assert (echo["status"], echo["mimetype"]) == (200, "application/json")
    assert json.loads(echo["body"]) == {"id": 3, "name": "pen", "ok": True}
    assert (expected["gone-away"]["status"], expected["gone-away"]["location"]) == (301, "/new")
    fills = {f.id: f for f in demo_check.quiz.fills}
    assert fills["int-converter"].reference.status is Verdict.PASSED
    assert fills["child-template"].empty.status is not Verdict.PASSED
    table = format_table(demo_check)
    assert "converter-mismatch  predict  status=404" in table
    assert "int-converter       fill     reference 2/2 passed, blanks empty 1/2" in table
    assert table.endswith("OK: the quiz is valid.")
    report = demo_check.to_dict()
    assert report["quiz"]["expected"] == expected and report["quiz_only"] is True
    assert json.loads(json.dumps(report)) == report


def test_compute_predictions_gives_the_same_answers(demo_check):
    quiz = load_quiz(DEMO)
    assert compute_predictions(quiz, load_challenge(DEMO), "docker") == demo_check.quiz.expected


def test_answers_are_graded_with_fill_in_the_sandbox(demo_check):
    quiz, challenge = load_quiz(DEMO), load_challenge(DEMO)
    # a float converter: no id without a dot matches, so numbers are refused too
    answers = dict(RIGHT, **{"int-converter": {"rule": "<float:user_id>"}})
    result = grade_answers(quiz, answers, demo_check.quiz.expected,
                           run_fill=fill_runner(challenge, "docker"))
    by_id = {q.id: q for q in result.questions}
    assert by_id["child-template"].status == "correct"
    wrong = by_id["int-converter"]
    assert (wrong.status, wrong.points) == ("partial", 1)
    assert wrong.details["tests"] == [
        {"title": "Numeric ids arrive as numbers", "status": "failed",
         "message": "The response is not JSON"},  # /users/3 is a 404 page (hints: no mimetype)
        {"title": "Other ids do not match", "status": "passed", "message": ""}]
    assert result.score == 22 - 2


def test_a_blank_that_breaks_the_app_is_wrong_with_its_error(docker_engine):
    quiz, challenge = load_quiz(DEMO), load_challenge(DEMO)
    graded = grade_fill(quiz.question("int-converter"), {"rule": '<int:user_id>")'},
                        challenge, "docker")
    assert graded.status is Verdict.ERROR
    assert "SyntaxError" in graded.message and graded.score == 0


def test_predict_questions_in_one_run_do_not_see_each_other(docker_engine):
    report = check_challenge(CHALLENGES / "predict-isolation", backend="docker")
    expected = report.quiz.expected
    assert json.loads(expected["sets-state"]["body"]) == {"cwd": "q0", "helper": "first",
                                                          "name": "app"}
    assert json.loads(expected["looks-for-state"]["body"]) == {
        "context": None, "env": None, "helper": "second", "planted": False,
        "runner_on_path": False}
    assert expected["factory-in-package"]["body"] == "Hi from shop"
    # the one app that cannot be imported fails alone, with its own error
    assert report.quiz.problems == [
        ("question 'breaks-at-import': the app did not answer: Your code raised ImportError: "
         "this app cannot be imported (during the inspection "
         "`__import__('quizpredict').answer(3)`) (app.py, line 1)")]
    assert not report.ok


def test_the_check_refuses_every_kind_of_bad_question(docker_engine):
    report = check_challenge(CHALLENGES / "quiz-mistakes", backend="docker")
    assert not report.ok
    assert report.quiz.problems == [
        ("question 'long-body': the body is 5000 bytes; keep it under 2000 so a learner can "
        "predict it"),
        "question 'no-location': asks for the location, but the response has none",
        ("question 'wrong-reference': the reference answers do not pass the tests (failed: The "
        "home page answers: the rule should be /)"),
        ("question 'passes-empty': the snippet passes its tests with every blank empty, so it "
        "tests nothing"),
    ]
    assert format_table(report).endswith("NOT OK: this challenge is not valid yet.")
