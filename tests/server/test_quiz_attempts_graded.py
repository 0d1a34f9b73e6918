"""Grading quiz attempts on a worker: where the predict answers come from, and grader faults."""

from __future__ import annotations

import pytest
from quiz_server_support import MISTAKES, QUIZ_ROUTES, RIGHT, answer, load_quizzes
from server_support import wait_final

import runner
from grader.extensions import db
from grader.models import Submission
from grader.services import challenges, jobs, quiz_grading


def count_predictions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each sandbox run that computes predict answers (they still run)."""
    calls: list[str] = []
    real = quiz_grading.compute_predictions

    def counted(quiz, loaded, backend=None):
        calls.append(loaded.slug)
        return real(quiz, loaded, backend=backend)

    monkeypatch.setattr(quiz_grading, "compute_predictions", counted)
    return calls


def test_an_unchecked_version_computes_its_predict_answers_once(app, client, student,
                                                                 monkeypatch):
    load_quizzes(app, QUIZ_ROUTES)
    calls = count_predictions(monkeypatch)
    assert answer(client, student, RIGHT).get_json()["score"] == 12
    assert answer(client, student, RIGHT).get_json()["score"] == 12
    assert calls == ["quiz-routes"], "the answers computed first are kept with the version"


def test_a_checked_version_grades_with_the_answers_of_its_check(app, client, student,
                                                                monkeypatch):
    load_quizzes(app, QUIZ_ROUTES, validate=True)
    with app.app_context():
        version = challenges.get("quiz-routes", None).current_version
        assert version.valid and "skipped" not in version.report
        assert version.report["quiz"]["expected"]["missing-route"]["status"] == 404
    calls = count_predictions(monkeypatch)
    record = answer(client, student, RIGHT).get_json()
    assert record["status"] == "passed" and calls == []


def test_a_predict_question_whose_app_fails_is_a_grader_fault(app, client, student):
    load_quizzes(app, MISTAKES)
    response = answer(client, student, {"fine": [0]}, slug="quiz-mistakes", wait=0)
    graded = wait_final(app, response.get_json()["id"])
    # Retried like any grader fault, then reported; it never counts against the learner.
    assert graded.status == "internal_error" and graded.attempts == 3
    assert graded.message.startswith("The quiz could not be graded: question 'long-body'")
    assert client.get("/api/v1/leaderboard").get_json()["rows"] == []


def test_an_engine_outage_sends_the_attempt_back_without_costing_a_try(app, client, student,
                                                                       monkeypatch):
    load_quizzes(app, QUIZ_ROUTES, validate=True)
    app.extensions["grader_queue"].shutdown()

    def unreachable(loaded, backend=None):
        def run(question, files):
            raise runner.EngineUnavailable("the Docker engine went away")
        return run

    monkeypatch.setattr(quiz_grading, "fill_runner", unreachable)
    attempt_id = answer(client, student, RIGHT, wait=0).get_json()["id"]
    with app.app_context():
        step = jobs.grade_submission(attempt_id)
        attempt = db.session.get(Submission, attempt_id)
        assert step.action == "paused"
        assert (attempt.status, attempt.attempts, attempt.quiz_result) == ("queued", 0, None)
