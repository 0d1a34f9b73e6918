"""Grading a quiz attempt on a worker: the same job, queue and retries as code.

Every question kind is graded here, in one job: choice and order questions need no sandbox,
predict questions compare with the answers computed when the version was checked, and fill
questions run the completed snippet against their own tests in the sandbox.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import runner
from runner.quiz import PredictQuestion, Quiz, QuizError, compute_predictions, fill_runner
from runner.quiz import grade_answers as grade_quiz_answers

from ..extensions import db
from ..models import ChallengeVersion, Submission
from . import quizzes

log = logging.getLogger(__name__)


def stored_expected(version: ChallengeVersion) -> dict[str, Any]:
    """The predict answers kept with a version (its check report's `quiz.expected`)."""
    quiz_report = (version.report or {}).get("quiz") or {}
    expected = quiz_report.get("expected") if isinstance(quiz_report, dict) else None
    return dict(expected) if isinstance(expected, dict) else {}


def expected_answers(version: ChallengeVersion, quiz: Quiz, loaded: runner.Challenge,
                     backend: str) -> dict[str, Any]:
    """The predict answers of a version, computed in the sandbox the first time if missing.

    A checked version has them from its check. One whose check was skipped (a trusted sync)
    has none: the first grading computes them, in one sandbox run, and keeps them with the
    version. Raises `QuizError` when a question's app does not answer.
    """
    expected = stored_expected(version)
    if all(q.id in expected for q in quiz.of_kind(PredictQuestion)):
        return expected
    computed = compute_predictions(quiz, loaded, backend=backend)
    current = db.session.get(ChallengeVersion, version.id)
    report = dict(current.report or {})
    quiz_report = report.get("quiz") if isinstance(report.get("quiz"), dict) else {}
    # A new dict: the JSON column only notices a change when it is assigned.
    report["quiz"] = {**quiz_report, "expected": {**stored_expected(current), **computed}}
    current.report = report
    db.session.commit()
    log.info("computed the predict answers of %s version %s", version.challenge.slug,
             version.number)
    return report["quiz"]["expected"]


def fault(submission: Submission, message: str) -> runner.GradeResult:
    """A grader fault: retried like any grading, never counted against the learner."""
    return runner.GradeResult(status=runner.Verdict.INTERNAL_ERROR, score=0,
                              max_score=submission.max_score, message=message[:2000])


def grade_attempt(submission: Submission, loaded: runner.Challenge,
                  backend: str) -> runner.GradeResult:
    """Grade a stored attempt's answers; the per-question results are kept on the row.

    Raises `runner.EngineUnavailable` when the sandbox is out of reach, so the attempt goes
    back to the queue without costing an attempt, like code.
    """
    submission_id = submission.id
    version = submission.version or submission.challenge.current_version
    started = time.monotonic()
    try:
        quiz = quizzes.quiz_of(version)
        if quiz is None:
            return fault(submission, "The challenge version has no quiz.toml")
        expected = expected_answers(version, quiz, loaded, backend)
        result = grade_quiz_answers(quiz, submission.answers or {}, expected,
                                    run_fill=fill_runner(loaded, backend=backend))
    except runner.EngineUnavailable:
        raise
    except (QuizError, runner.RunnerError) as exc:
        log.warning("quiz attempt %s could not be graded: %s", submission_id, exc)
        db.session.rollback()
        return fault(submission, f"The quiz could not be graded: {exc}")
    graded = result.to_dict()
    current = db.session.get(Submission, submission_id)
    current.quiz_result = {"questions": graded["questions"], "ignored": graded["ignored"]}
    db.session.commit()
    verdict = runner.Verdict.PASSED if result.score == result.max_score else runner.Verdict.FAILED
    return runner.GradeResult(status=verdict, score=result.score, max_score=result.max_score,
                              timings_ms={"run": int((time.monotonic() - started) * 1000)})


def no_code(loaded: runner.Challenge) -> runner.GradeResult:
    """A code submission of a quiz-only challenge: nothing to run (an old version had tests)."""
    return runner.GradeResult(status=runner.Verdict.REJECTED, score=0, max_score=0,
                              message=f"{loaded.slug} is now a quiz only: it grades no code")
