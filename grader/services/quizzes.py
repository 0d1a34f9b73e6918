"""Concept quizzes: a version's quiz, what a learner is shown, attempts stored and continued.

A quiz attempt is a `Submission` of kind "quiz" holding the answers. It is graded like code:
stored first, then taken from the fair queue by a grading worker (`quiz_grading`), so the web
process never runs a sandbox. An attempt may be continued (the one-question-at-a-time page and
`grader quiz` answer one question after the other): the new answers join the stored ones and
the whole attempt is graded again.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from runner.quiz import Quiz, load_quiz, public_view

from .. import clock, limits, statuses
from ..extensions import db
from ..models import QUIZ, Challenge, ChallengeVersion, Submission, User, iso
from . import assignments, challenges, deadlines, pause, submissions
from .errors import ServiceError, forbidden, not_found

# Anonymous visitors all see one order; a learner's order comes from their user id.
ANONYMOUS_SEED = "anonymous"
MAX_ANSWERS = 500  # question ids in one body: a quiz has far fewer; more is not an answer sheet

_loaded: dict[str, Quiz | None] = {}
_lock = threading.Lock()


def quiz_of(version: ChallengeVersion) -> Quiz | None:
    """The quiz of a stored version (parsed once per process), or None when it has none."""
    key = f"{version.challenge_id}:{version.checksum}"
    with _lock:
        if key in _loaded:
            return _loaded[key]
    # Versions are only stored once their quiz.toml parses (`versions._load`).
    quiz = load_quiz(challenges.materialize(version))
    with _lock:
        _loaded[key] = quiz
    return quiz


def require(challenge: Challenge) -> Quiz:
    """The challenge's current quiz, or a 404 saying it has none."""
    quiz = quiz_of(challenge.current_version) if challenge.current_version else None
    if quiz is None:
        raise not_found(f"A quiz for challenge {challenge.slug!r}")
    return quiz


def seed_for(user: User | None) -> str | int:
    """The shuffle seed of a learner: their id, so the order is the same on every visit."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS_SEED
    return user.id


def attempts_of(user: User | None, challenge: Challenge, limit: int = 50) -> list[Submission]:
    """My quiz attempts at a challenge, newest first."""
    if user is None or not user.is_authenticated:
        return []
    return list(db.session.scalars(
        select(Submission).where(Submission.user_id == user.id,
                                 Submission.challenge_id == challenge.id,
                                 Submission.kind == QUIZ)
        .order_by(Submission.id.desc()).limit(limit)))


def brief(submission: Submission, viewer: User | None = None) -> dict[str, Any]:
    """One attempt in a list: id, status, score, when, how many questions are answered, and
    its course (the score is null, the status `graded`, while the course hides it)."""
    data = {"id": submission.id, "status": submission.status, "score": submission.score,
            "max_score": submission.max_score, "submitted_at": iso(submission.submitted_at),
            "answered": sum(not is_blank(a) for a in (submission.answers or {}).values()),
            "course": submission.course.slug if submission.course else None,
            "credit": submission.credit, "credited_score": submission.credited_score}
    if viewer is None:
        return data
    mode, until = assignments.feedback_mode(viewer, submission)
    return submissions.masked(data, mode, until)


def best_score(attempts: list[dict[str, Any]]) -> int | None:
    """The best counted score among attempts (as `brief` shows them), None when none counts."""
    counted = [a["score"] for a in attempts
               if a["status"] in statuses.COUNTED and a["score"] is not None]
    return max(counted) if counted else None


def view(challenge: Challenge, user: User | None) -> dict[str, Any]:
    """The quiz as this learner sees it (no answers), with their attempts and best score."""
    quiz = require(challenge)
    attempts = [brief(a, user) for a in attempts_of(user, challenge)]
    return {"challenge": challenge.slug, "title": challenge.title,
            "quiz_only": challenge.quiz_only, **public_view(quiz, seed=seed_for(user)),
            "attempts": attempts, "best_score": best_score(attempts)}


def public_view_for(challenge: Challenge, user: User) -> dict[str, Any]:
    """The questions in the order `user` sees them (a teacher reading a learner's attempt)."""
    return public_view(require(challenge), seed=seed_for(user))


def is_blank(answer: Any) -> bool:
    """An unanswered question: left out, `null`, `[]`, `{}`, `""`, or every blank empty."""
    if answer is None or answer in ([], {}, ""):
        return True
    return isinstance(answer, dict) and all(value == "" for value in answer.values())


def check_answers(answers: Any) -> dict[str, Any]:
    """The answers object of a request, or a 422 when it is not one.

    Only the body's shape is refused here: an answer of the wrong shape is graded as an
    `invalid` question, with a message, like the runner grades it.
    """
    if not isinstance(answers, dict):
        raise ServiceError(422, "invalid_answers", 'Send the answers as an object that maps '
                           'question ids to answers: {"answers": {"question-id": ...}}')
    if len(answers) > MAX_ANSWERS:
        raise ServiceError(422, "invalid_answers",
                           f"{len(answers)} answers were sent; a quiz has at most "
                           f"{MAX_ANSWERS} questions")
    return {str(qid): answer for qid, answer in answers.items()}


def submit(user: User, slug: str, answers: Any, attempt_id: int | None = None,
           course: str | None = None) -> tuple[Submission, bool]:
    """Store answers as a new attempt, or add them to `attempt_id`; queue it for grading.

    Returns (the attempt, whether it is new). Continuing an attempt only adds answers to the
    questions it has not answered yet (its feedback has been shown), on the version it began
    with, and never while a worker grades it. With `course`, a new attempt is course work,
    admitted by the course's rules like code (`assignments.admit`); a continued attempt stays
    in the course it began in.
    """
    # Every answer costs a grading (fill questions a sandbox run), continued attempts too:
    # they share the learner's submission budget with code.
    limits.check("submissions", current_app.config["GRADER_RATE_LIMIT"], str(user.id),
                 what="submissions")
    challenge = challenges.get(slug, user)
    require(challenge)
    answers = check_answers(answers)
    course = course.strip() if course else None
    if attempt_id is None:
        attempt = _new_attempt(user, challenge, answers, course)
    else:
        attempt = _continue(user, challenge, attempt_id, answers, course)
    submissions._request_grading(attempt)
    return attempt, attempt_id is None


def _new_attempt(user: User, challenge: Challenge, answers: dict[str, Any],
                 course: str | None) -> Submission:
    now = clock.now()
    admission = assignments.admit(user, course, challenge, now) if course else None
    attempt = Submission(user=user, challenge=challenge, version=challenge.current_version,
                         kind=QUIZ, status=statuses.QUEUED, max_score=challenge.quiz_points,
                         files=challenges.zip_files({}), answers=answers, submitted_at=now)
    if admission is not None:
        attempt.course = admission.course
        attempt.late_hours = admission.credit.late_hours
        attempt.credit = admission.credit.credit
    db.session.add(attempt)
    db.session.commit()
    return attempt


def _readmit(user: User, challenge: Challenge, attempt: Submission,
             course: str | None, at: datetime) -> deadlines.Credit | None:
    """The credit a continued course attempt takes at `at`, or None for a practice attempt.

    The attempt stays where it began: naming another course is refused, and the course's
    rules apply to the new answers' time (a closed assignment refuses them). The cap is not
    met again, since no new submission is made.
    """
    if attempt.course is None:
        if course:
            raise ServiceError(409, "attempt_course", f"Attempt {attempt.id} is practice, not "
                               f"work for {course!r}: start a new attempt for the course")
        return None
    if course and course != attempt.course.slug:
        raise ServiceError(409, "attempt_course", f"Attempt {attempt.id} counts for "
                           f"{attempt.course.slug!r}, not {course!r}")
    return assignments.readmit(user, attempt.course, challenge, at)


def _continue(user: User, challenge: Challenge, attempt_id: int,
              answers: dict[str, Any], course: str | None) -> Submission:
    attempt = submissions.get(user, attempt_id)
    if attempt.kind != QUIZ or attempt.challenge_id != challenge.id:
        raise not_found(f"Quiz attempt {attempt_id} of {challenge.slug!r}")
    if attempt.user_id != user.id:
        raise forbidden("Only the learner who began an attempt can continue it")
    now = clock.now()
    credit = _readmit(user, challenge, attempt, course, now)
    if attempt.version_id != challenge.current_version_id:
        raise ServiceError(409, "quiz_changed", "The quiz has changed since this attempt "
                           "began; start a new attempt (leave out `attempt`)")
    stored = dict(attempt.answers or {})
    again = sorted(qid for qid, answer in answers.items()
                   if not is_blank(stored.get(qid)) and not is_blank(answer))
    if again:
        raise ServiceError(409, "already_answered",
                           f"Attempt {attempt_id} has already answered {', '.join(again)}; "
                           "start a new attempt to answer it again")
    merged = {**stored, **{qid: a for qid, a in answers.items() if not is_blank(a)}}
    # The answers are stored now: a continued course attempt takes the credit of this time,
    # as `submitted_at` moves to it (answers sent after the due time count as late).
    values: dict[str, Any] = {"answers": merged, "status": statuses.QUEUED, "submitted_at": now,
                              "attempts": 0, "retry_at": None, "started_at": None,
                              "finished_at": None, "score": 0, "quiz_result": None}
    if credit is not None:
        values.update(credit=credit.credit, late_hours=credit.late_hours)
    # Conditional, so a worker that has just claimed the attempt keeps it: the answers it
    # grades are the ones it read.
    changed = db.session.execute(
        update(Submission)
        .where(Submission.id == attempt.id, Submission.status != statuses.RUNNING)
        .values(**values))
    db.session.commit()
    if changed.rowcount != 1:
        raise ServiceError(409, "attempt_busy", f"Attempt {attempt_id} is being graded right "
                           "now; send the answer again in a moment")
    db.session.expire_all()
    return db.session.get(Submission, attempt.id)


def wait_for_grading(submission_id: int, seconds: float) -> Submission:
    """The attempt once graded, or as it stands after `seconds` (or once grading is paused)."""
    deadline = time.monotonic() + seconds
    while True:
        db.session.expire_all()
        attempt = db.session.get(Submission, submission_id)
        if attempt.is_final or time.monotonic() >= deadline or (
                attempt.status == statuses.QUEUED and pause.status()["paused"]):
            return attempt
        time.sleep(0.1)


def record(submission: Submission, viewer: User | None = None) -> dict[str, Any]:
    """The graded record of an attempt: the result record plus answers and question results.

    With a `viewer`, what a course holds back until the due time is left out for them.
    """
    return submissions.record(submission, viewer)
