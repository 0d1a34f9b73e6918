"""Submissions: validate, store, enqueue; result records; who may read what."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload, undefer

import runner
from runner import archive as archive_module
from runner.submission import split_allowed, validate_files

from .. import clock, limits, signals, statuses
from ..extensions import db
from ..models import QUIZ, Challenge, Course, Submission, User, iso
from . import assignments, challenges, courses, waiting
from .errors import ServiceError, forbidden, not_found

IGNORED_NOTE = "Ignored files not part of this challenge: "

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


def prepare_files(challenge: Challenge, files: dict[str, bytes] | None,
                  archive: bytes | None) -> tuple[dict[str, bytes], list[str]]:
    """The learner's files, checked against the manifest; returns (files, ignored paths)."""
    loaded = challenges.runner_challenge(challenge.current_version)
    ignored: list[str] = []
    try:
        if archive is not None:
            unpacked = _project_files(loaded, archive_module.read_zip(
                archive, archive_module.UPLOAD_LIMITS))
            # A zipped project folder also holds the statement, tests and caches: keep only
            # what the challenge grades, and say what was left out.
            keep, ignored = split_allowed(loaded, unpacked)
            if not keep:
                raise runner.Rejected(
                    "The archive holds none of the files this challenge grades "
                    f"({', '.join(loaded.files)})")
            files = {**{k: unpacked[k] for k in keep}, **(files or {})}
        return validate_files(loaded, files or {}), ignored
    except runner.Rejected as exc:
        code = "bad_archive" if archive is not None and "archive" in str(exc) else "rejected"
        raise ServiceError(400 if code == "bad_archive" else 422, code, str(exc)) from None


def _project_files(loaded: runner.Challenge, files: dict[str, bytes]) -> dict[str, bytes]:
    """The archive's paths as the challenge names them.

    A zip of the project folder (`myproject/app.py`) holds one top folder to drop; a zip of just
    the package folder (`shop/__init__.py`, when the challenge's files live in `shop/`) does not.
    Whichever reading admits more of the challenge's files wins.
    """
    stripped = archive_module.strip_common_folder(files)
    if stripped is files:
        return files
    as_sent, _ = split_allowed(loaded, files)
    without_top, _ = split_allowed(loaded, stripped)
    return files if len(as_sent) > len(without_top) else stripped


def ignored_note(ignored: list[str], shown: int = 10) -> str:
    """The message naming the files left out of an archive (at most `shown` of them)."""
    if not ignored:
        return ""
    names = ", ".join(sorted(ignored)[:shown])
    more = f" and {len(ignored) - shown} more" if len(ignored) > shown else ""
    return f"{IGNORED_NOTE}{names}{more}"


def create(user: User, slug: str, files: dict[str, bytes] | None = None,
           archive: bytes | None = None, course: str | None = None) -> Submission:
    """Validate, store (row + files) and only then enqueue a submission.

    Every attempt counts against the learner's submission limit, refused uploads included.
    With `course`, the submission is course work: the course's rules decide whether it is
    taken (`assignments.admit`) and fix its lateness and credit from the time it is stored.
    """
    limits.check("submissions", current_app.config["GRADER_RATE_LIMIT"], str(user.id),
                 what="submissions")
    # Hidden challenges are visible (and so submittable) to teachers only, for trying them out.
    challenge = challenges.get(slug, user)
    if challenge.quiz_only:
        raise ServiceError(409, "quiz_only", f"{slug} is a quiz and takes no code: answer its "
                                             f"questions (POST /api/v1/challenges/{slug}/quiz/answers)")
    now = clock.now()
    admission = assignments.admit(user, course.strip(), challenge, now) \
        if course and course.strip() else None
    if not files and archive is None:
        loaded = challenges.runner_challenge(challenge.current_version)
        raise ServiceError(400, "no_files",
                           f"No files were sent. This challenge expects: {', '.join(loaded.files)}")
    cleaned, ignored = prepare_files(challenge, files, archive)
    submission = Submission(
        user=user, challenge=challenge, version=challenge.current_version, status=statuses.QUEUED,
        max_score=challenge.points, files=challenges.zip_files(cleaned), submitted_at=now,
        message=ignored_note(ignored))
    if admission is not None:
        submission.course = admission.course
        submission.late_hours = admission.credit.late_hours
        submission.credit = admission.credit.credit
    db.session.add(submission)
    db.session.commit()
    _request_grading(submission)
    return submission


def _request_grading(submission: Submission) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    signals.submission_changed.send(app, submission=submission)
    signals.grading_requested.send(app, submission_id=submission.id, delay_s=0.0)
    signals.queue_moved.send(app)


def files_of(submission: Submission) -> dict[str, bytes]:
    """The files the learner sent."""
    return challenges.unzip_files(submission.files)


def override_of(submission: Submission) -> dict[str, Any] | None:
    """The record's `override`: {score, reason, by, at}, or None when the graded score counts."""
    found = submission.override
    if found is None:
        return None
    return {"score": found.score, "reason": found.reason,
            "by": found.by.username if found.by else None, "at": iso(found.at)}


def record(submission: Submission, viewer: User | None = None,
           places: dict[int, tuple[int, int]] | None = None) -> dict[str, Any]:
    """The result record of DESIGN.md (plus message, version, the place in line and the course
    fields).

    `score` is the effective score (a teacher's override when there is one); `graded_score`
    is what the tests gave and `override` says who changed it, when and why. With a `viewer`,
    what a course holds back until the due time is left out for them (`feedback` says how much
    is shown, `feedback_until` until when); without one, all of it. `places` (from
    `waiting.positions()`) spares a list of records one computation of the whole line per
    queued submission.
    """
    if places is None:
        place, eta = waiting.position_of(submission)
    else:
        place, eta = places.get(submission.id, (None, None))
    data: dict[str, Any] = {
        "id": submission.id,
        "challenge": submission.challenge.slug,
        "user": submission.user.username,
        "status": submission.status,
        "score": submission.effective_score,
        "graded_score": submission.score,
        "override": override_of(submission),
        "max_score": submission.max_score,
        "message": submission.message,
        "tests": [t.to_dict() for t in submission.tests],
        "submitted_at": iso(submission.submitted_at),
        "started_at": iso(submission.started_at),
        "finished_at": iso(submission.finished_at),
        "timings_ms": dict(submission.timings or {}),
        "version": submission.version.number if submission.version else None,
        "attempts": submission.attempts,
        "queue_position": place,
        "eta_s": eta,
        "course": submission.course.slug if submission.course else None,
        "late_hours": submission.late_hours,
        "credit": submission.credit,
        "credited_score": submission.credited_score,
        "feedback": "full",
        "feedback_until": None,
        "kind": submission.kind,
        **(quiz_fields(submission) if submission.kind == QUIZ else {}),
    }
    if viewer is None:
        return data
    mode, until = assignments.feedback_mode(viewer, submission)
    return masked(data, mode, until)


def masked(data: dict[str, Any], mode: str, until: Any) -> dict[str, Any]:
    """A record (or a live event) cut down to what `feedback_before_due` lets a learner see.

    `score`: the score and each test's pass/fail, no messages. `none`: only that it was
    received and graded (status `graded`), no score and no tests.
    """
    if mode == "full":
        return data
    data = {**data, "feedback": mode, "feedback_until": iso(until)}
    if "message" in data:
        # What the server itself says about the upload stays; what the tests said does not.
        data["message"] = "\n".join(line for line in str(data["message"]).splitlines()
                                    if line.startswith(IGNORED_NOTE))
    if "tests" in data:
        data["tests"] = [{**test, "message": ""} for test in data["tests"]] \
            if mode == "score" else []
    if "questions" in data:
        data["questions"] = [_question_score(q) for q in data["questions"]] \
            if mode == "score" else []
    if mode == "none":
        if data.get("status") in statuses.COUNTED:
            data["status"] = statuses.GRADED
        for field in ("score", "credited_score", "graded_score", "override"):
            if field in data:
                data[field] = None
    return data


def _question_score(result: dict[str, Any]) -> dict[str, Any]:
    """One question's result cut to its score (`score` before the due time).

    What is right and why stays hidden: no explanation, no choice feedback, no expected
    predict answer, no fill test message. A message on an `invalid` answer says what shape
    was expected, not what is right, so it stays.
    """
    shown = {**result, "explanation": ""}
    if result.get("status") != "invalid":
        shown["message"] = ""
    if "choices" in shown:
        shown["choices"] = [{**choice, "feedback": ""} for choice in shown["choices"]]
    if "parts" in shown:
        shown["parts"] = {name: {**part, "expected": None}
                          for name, part in shown["parts"].items()}
    if "tests" in shown:
        shown["tests"] = [{**test, "message": ""} for test in shown["tests"]]
    return shown


def quiz_fields(submission: Submission) -> dict[str, Any]:
    """What a quiz attempt's record adds: its answers and, once graded, each question's result.

    While the attempt waits for its (re)grading, the results of an earlier grading are not
    shown: they may no longer match the answers.
    """
    graded = (submission.quiz_result or {}) if submission.is_final else {}
    return {"answers": dict(submission.answers or {}),
            "questions": list(graded.get("questions") or []),
            "ignored": list(graded.get("ignored") or [])}


def records(rows: list[Submission], viewer: User | None = None) -> list[dict[str, Any]]:
    """Result records of many submissions, with the line computed once for all of them."""
    places = waiting.positions() if any(s.status == statuses.QUEUED for s in rows) else {}
    return [record(s, viewer, places) for s in rows]


def visible_to(user: User | None, submission: Submission) -> bool:
    """Learners see their own submissions; teachers see all; course staff their course's."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_teacher or submission.user_id == user.id or \
        courses.is_staff(user, submission.course_id)


def get(user: User, submission_id: int) -> Submission:
    """A submission the user may read: 404 if missing, 403 if it is someone else's."""
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        raise not_found(f"Submission {submission_id}")
    if not visible_to(user, submission):
        raise forbidden("This submission belongs to someone else")
    return submission


def _listing(user: User, challenge: Challenge | None, everyone: bool,
             with_files: bool = False, course: Course | None = None) -> Select:
    """Newest first, with what a record or a table row shows loaded in a fixed few statements."""
    query = select(Submission).options(
        joinedload(Submission.challenge), joinedload(Submission.user),
        joinedload(Submission.version), joinedload(Submission.course),
        selectinload(Submission.tests), selectinload(Submission.override))
    if with_files:
        query = query.options(undefer(Submission.files))
    if everyone:
        if not (user.is_teacher or (course is not None and courses.is_staff(user, course.id))):
            raise forbidden("Only teachers can list everyone's submissions")
    else:
        query = query.where(Submission.user_id == user.id)
    if challenge is not None:
        query = query.where(Submission.challenge_id == challenge.id)
    if course is not None:
        query = query.where(Submission.course_id == course.id)
    return query.order_by(Submission.id.desc())


def list_for(user: User, challenge: Challenge | None = None, limit: int = 200,
             everyone: bool = False, course: Course | None = None) -> list[Submission]:
    """A user's own submissions, newest first (teachers may ask for `everyone`'s).

    With a `course`, only its submissions; its staff may ask for everyone's in it.
    """
    query = _listing(user, challenge, everyone, course=course)
    return list(db.session.scalars(query.limit(limit)).unique())


def page_args(args: Mapping[str, str]) -> tuple[int, int]:
    """`page` and `per_page` of a page's query string; a clear 400 if either is not usable."""
    numbers = {}
    for name, default, top in (("page", 1, None), ("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)):
        raw = args.get(name, "").strip()
        try:
            value = int(raw) if raw else default
        except ValueError:
            value = 0
        if value < 1 or (top is not None and value > top):
            within = f"from 1 to {top}" if top else "1 or more"
            raise ServiceError(400, "bad_page", f"{name} must be a whole number {within}, "
                                                f"not {raw!r}")
        numbers[name] = value
    return numbers["page"], numbers["per_page"]


def page_for(user: User, challenge: Challenge | None = None, everyone: bool = False,
             page: int = 1, per_page: int = DEFAULT_PER_PAGE,
             with_files: bool = False, course: Course | None = None) -> Pagination:
    """One page of `list_for`, newest first, with the total (a page past the end is empty)."""
    return db.paginate(_listing(user, challenge, everyone, with_files, course), page=page,
                       per_page=per_page, max_per_page=MAX_PER_PAGE, error_out=False)


def regrade(user: User, challenge: Challenge | None = None,
            submission: Submission | None = None) -> list[int]:
    """Teachers: grade one submission, or every submission of a challenge, again.

    Submissions are regraded on the challenge's current version; their old test rows are
    replaced when the new result arrives.
    """
    if not user.is_teacher:
        raise forbidden("Only teachers can regrade")
    if submission is not None:
        targets = [submission]
    elif challenge is not None:
        targets = list(db.session.scalars(select(Submission).where(
            Submission.challenge_id == challenge.id,
            Submission.status.not_in(statuses.PENDING))))
    else:
        raise ServiceError(400, "nothing_to_regrade", "Name a challenge or a submission")
    for target in targets:
        if target.status in statuses.PENDING:
            continue
        target.status = statuses.QUEUED
        target.attempts = 0
        target.retry_at = None
        target.version = target.challenge.current_version
        target.max_score = target.challenge.points_of(target.kind)
    db.session.commit()
    for target in targets:
        _request_grading(target)
    return [t.id for t in targets]


def pending_count() -> int:
    """How many submissions wait or run right now."""
    return db.session.scalar(select(func.count(Submission.id)).where(
        Submission.status.in_(statuses.PENDING))) or 0
