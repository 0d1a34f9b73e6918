"""Grade passback (Assignment and Grade Services): the credited course score of a launched
learner goes to the line item, from the grading workers, retried with backoff.

One row per (line item, learner) holds the latest score to send. A final grading (or a regrade,
or new course rules) updates the row and wakes a worker; the worker claims the row, asks the
platform for a token (client credentials with a signed JWT, scope `.../scope/score`) and posts
the score. A failure is kept on the row with the next try; grading never waits for any of it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import requests
from flask import current_app
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy import and_, or_, select, update

from .. import signals
from ..extensions import db
from ..models import Course, Membership, User, iso, utcnow
from ..services import assignments, courses, gradebook
from ..services.errors import ServiceError, forbidden, not_found
from . import platforms
from .links import SCORE_SCOPE, can_pass_back
from .models import (
    FAILED,
    PENDING,
    SENT,
    LtiAccount,
    LtiContext,
    LtiPassback,
    LtiPlatform,
    LtiResourceLink,
)
from .storage import TimeoutSession

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)  # a claim older than this belongs to a worker that died
MAX_BACKOFF_S = 3600
# Answers after which sending the same score again cannot help (a wrong registration, a line
# item that is gone): the row fails at once and waits for a teacher.
PERMANENT = {400, 401, 403, 404, 405, 410, 415, 422}


class PassbackError(Exception):
    """A send that did not go through; `permanent` when retrying cannot help."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def _wake(delay_s: float = 0.0) -> None:
    signals.grading_requested.send(current_app._get_current_object(),  # type: ignore[attr-defined]
                                   submission_id=None, delay_s=max(0.0, delay_s))


def _links(course_id: int, challenge_id: int) -> list[LtiResourceLink]:
    return list(db.session.scalars(
        select(LtiResourceLink).join(LtiContext, LtiContext.id == LtiResourceLink.context_id)
        .where(LtiContext.course_id == course_id, LtiResourceLink.challenge_id == challenge_id)))


def _hold_until(course_id: int, challenge_id: int, user_id: int) -> datetime | None:
    """A course that hides scores until the due time: the LMS gets the score then too."""
    assignment = assignments.for_challenge(course_id, challenge_id)
    if assignment is None or assignment.feedback_before_due != "none":
        return None
    due = assignments.dates(assignment, user_id).due_at
    return due if due is not None and due > utcnow() else None


def _upsert(link: LtiResourceLink, user_id: int, subject: str, best: gradebook.Best,
            changed_only: bool) -> float | None:
    """Put the learner's latest score on the link's row; the seconds until it may be sent, or
    None when nothing was queued (`changed_only` and the row already holds this score)."""
    row = db.session.scalar(select(LtiPassback).where(
        LtiPassback.resource_link_id == link.id, LtiPassback.user_id == user_id))
    score, maximum = best.credited_score, best.max_score or link.challenge.total_points
    if row is not None and changed_only and (row.score_given, row.score_maximum) == \
            (score, maximum):
        return None
    hold = _hold_until(link.context.course_id, link.challenge_id, user_id)
    if row is None:
        # Added once filled in: a query on the way would flush a row without its subject.
        row = LtiPassback(resource_link_id=link.id, user_id=user_id, revision=0)
    now = utcnow()
    row.subject, row.score_given, row.score_maximum = subject, score, maximum
    row.scored_at, row.state, row.attempts = now, PENDING, 0
    row.revision = (row.revision or 0) + 1
    row.next_attempt_at = hold or now
    row.last_error = ""
    db.session.add(row)
    return (hold - now).total_seconds() if hold else 0.0


def _commit_and_wake(delays: list[float]) -> int:
    db.session.commit()
    if delays:
        _wake(min(delays))
    return len(delays)


def _is_student(course_id: int, user_id: int) -> bool:
    return db.session.scalar(select(Membership.role).where(
        Membership.course_id == course_id, Membership.user_id == user_id)) == "student"


def queue_for(course_id: int, challenge_id: int, user_id: int) -> int:
    """Queue the learner's credited score for every line item of this assignment (after a
    final grading, a regrade or an override). Returns how many rows were queued."""
    if not _is_student(course_id, user_id):
        return 0  # staff try assignments out; they are not graded
    delays: list[float] = []
    for link in _links(course_id, challenge_id):
        if not can_pass_back(link):
            continue
        subject = db.session.scalar(select(LtiAccount.subject).where(
            LtiAccount.user_id == user_id, LtiAccount.issuer == link.context.issuer))
        best = gradebook.best_submission(course_id, challenge_id, user_id)
        if subject is not None and best is not None:
            delay = _upsert(link, user_id, subject, best, changed_only=False)
            if delay is not None:
                delays.append(delay)
    return _commit_and_wake(delays)


def refresh_course(course_slug: str) -> int:
    """After a course's standings changed (new rules, an extension): queue every launched
    learner whose credited score is not the one the LMS was last given."""
    course = db.session.scalar(select(Course).where(Course.slug == course_slug))
    if course is None:
        return 0
    links = [link for link in db.session.scalars(
        select(LtiResourceLink).join(LtiContext, LtiContext.id == LtiResourceLink.context_id)
        .where(LtiContext.course_id == course.id)) if can_pass_back(link)]
    if not links:
        return 0
    subjects = {(user_id, issuer): subject for user_id, issuer, subject in db.session.execute(
        select(LtiAccount.user_id, LtiAccount.issuer, LtiAccount.subject)
        .join(Membership, Membership.user_id == LtiAccount.user_id)
        .where(Membership.course_id == course.id, Membership.role == "student"))}
    sent = {(row.resource_link_id, row.user_id): (row.score_given, row.score_maximum)
            for row in db.session.scalars(select(LtiPassback).where(
                LtiPassback.resource_link_id.in_([link.id for link in links])))}
    best = gradebook.best_submissions(course)
    delays: list[float] = []
    for link in links:
        for (user_id, issuer), subject in subjects.items():
            found = best.get((user_id, link.challenge_id))
            if issuer != link.context.issuer or found is None:
                continue
            maximum = found.max_score or link.challenge.total_points
            if sent.get((link.id, user_id)) == (found.credited_score, maximum):
                continue
            delay = _upsert(link, user_id, subject, found, changed_only=True)
            if delay is not None:
                delays.append(delay)
    return _commit_and_wake(delays)


def _due(now: datetime) -> Any:
    return and_(LtiPassback.state == PENDING, LtiPassback.next_attempt_at <= now,
                or_(LtiPassback.claimed_at.is_(None), LtiPassback.claimed_at < now - LEASE))


def _claim() -> tuple[LtiPassback, int] | None:
    now = utcnow()
    for row_id in db.session.scalars(select(LtiPassback.id).where(_due(now))
                                     .order_by(LtiPassback.next_attempt_at).limit(4)):
        claimed = db.session.execute(update(LtiPassback).where(LtiPassback.id == row_id, _due(now))
                                     .values(claimed_at=now))
        db.session.commit()
        if claimed.rowcount == 1:
            row = db.session.get(LtiPassback, row_id)
            return row, row.revision
    return None


def send(row: LtiPassback) -> None:
    """Post the row's score to its line item; raises `PassbackError` when it did not go."""
    link = row.resource_link
    platform = link.context.platform
    connector = ServiceConnector(platforms.registration(platform), TimeoutSession())
    service = AssignmentsGradesService(connector, {"scope": [SCORE_SCOPE],
                                                   "lineitem": link.lineitem_url or ""})
    grade = (Grade().set_score_given(row.score_given).set_score_maximum(row.score_maximum)
             .set_activity_progress("Completed").set_grading_progress("FullyGraded")
             .set_timestamp(iso(row.scored_at) or "").set_user_id(row.subject))
    try:
        service.put_grade(grade)
    except LtiServiceException as exc:
        status = exc.response.status_code
        body = (exc.response.text or "").strip().replace("\n", " ")[:300]
        raise PassbackError(f"{exc.response.url} answered {status}: {body}",
                            permanent=status in PERMANENT) from None
    except requests.RequestException as exc:
        raise PassbackError(f"the platform did not answer: {type(exc).__name__}: {exc}"[:500]) \
            from None
    except (LtiException, ValueError, KeyError) as exc:  # a token answer without a token
        raise PassbackError(f"the platform's answer was not usable: {exc}"[:500]) from None


def _backoff(attempts: int) -> float:
    base = float(current_app.config["GRADER_LTI_RETRY_S"])
    return min(MAX_BACKOFF_S, base * (2 ** max(0, attempts - 1)))


def run_next() -> bool:
    """Send the next due score (the grading workers' other job kind); False if none is due."""
    claimed = _claim()
    if claimed is None:
        return False
    row, revision = claimed
    platform_id = row.resource_link.context.platform_id
    try:
        send(row)
    except PassbackError as exc:
        db.session.rollback()
        _failed(row.id, revision, platform_id, exc)
        return True
    now = utcnow()
    db.session.execute(update(LtiPassback).where(LtiPassback.id == row.id).values(
        claimed_at=None, last_attempt_at=now))
    # A newer score that arrived during the send stays pending, to be sent next.
    db.session.execute(update(LtiPassback).where(
        LtiPassback.id == row.id, LtiPassback.revision == revision).values(
        state=SENT, sent_at=now, last_error="", attempts=LtiPassback.attempts + 1))
    platforms.touch(db.session.get(LtiPlatform, platform_id), passed_back=True)
    db.session.commit()
    return True


def _failed(row_id: int, revision: int, platform_id: int, error: PassbackError) -> None:
    row = db.session.get(LtiPassback, row_id)
    now = utcnow()
    row.claimed_at, row.last_attempt_at = None, now
    row.last_error = str(error)[:2000]
    if row.revision != revision:  # a newer score came meanwhile: send that one now
        row.next_attempt_at = now
        db.session.commit()
        _wake()
        return
    row.attempts += 1
    limit = int(current_app.config["GRADER_LTI_MAX_ATTEMPTS"])
    if error.permanent or row.attempts >= limit:
        row.state = FAILED
        db.session.commit()
        log.warning("grade passback %s failed for good: %s", row_id, error)
        return
    delay = _backoff(row.attempts)
    retry_at = now + timedelta(seconds=delay)
    row.next_attempt_at = retry_at
    # The platform is likely down for its other scores too: they wait for the same retry
    # instead of each costing a worker a timeout now.
    others = select(LtiPassback.id).join(
        LtiResourceLink, LtiResourceLink.id == LtiPassback.resource_link_id).join(
        LtiContext, LtiContext.id == LtiResourceLink.context_id).where(
        LtiContext.platform_id == platform_id, LtiPassback.state == PENDING,
        LtiPassback.next_attempt_at < retry_at, LtiPassback.id != row_id)
    db.session.execute(update(LtiPassback).where(LtiPassback.id.in_(others))
                       .values(next_attempt_at=retry_at))
    db.session.commit()
    log.info("grade passback %s failed (attempt %d), again in %.0f s: %s", row_id, row.attempts,
             delay, error)
    _wake(delay)


def seconds_to_next() -> float | None:
    """How long until the next score is due (0: now), or None when none waits."""
    due = db.session.scalar(select(LtiPassback.next_attempt_at).where(
        LtiPassback.state == PENDING).order_by(LtiPassback.next_attempt_at).limit(1))
    if due is None:
        return None
    return max(0.0, (due - utcnow()).total_seconds())


def send_again(actor: User, passback_id: int) -> LtiPassback:
    """Course staff queue a failed (or waiting) score again, now, with fresh attempts."""
    row = db.session.get(LtiPassback, passback_id)
    if row is None:
        raise not_found(f"Grade passback {passback_id}")
    course_id = row.resource_link.context.course_id
    if not courses.is_staff(actor, course_id):
        raise forbidden("Only the course's staff can send its scores again")
    if row.state == SENT:
        raise ServiceError(409, "already_sent", "The platform already has this score")
    row.state, row.attempts, row.next_attempt_at = PENDING, 0, utcnow()
    db.session.commit()
    _wake()
    return row


def for_course(course: Course) -> list[dict[str, Any]]:
    """The course's scores the LMS does not have yet: waiting, retrying or failed, with errors."""
    rows = db.session.scalars(
        select(LtiPassback).join(LtiResourceLink, LtiResourceLink.id ==
                                 LtiPassback.resource_link_id)
        .join(LtiContext, LtiContext.id == LtiResourceLink.context_id)
        .where(LtiContext.course_id == course.id, LtiPassback.state.in_((PENDING, FAILED)))
        .order_by(LtiPassback.state.desc(), LtiPassback.updated_at.desc()).limit(200))
    return [{"id": r.id, "user": r.user.username, "challenge": r.resource_link.challenge.slug,
             "title": r.resource_link.title, "score": r.score_given, "max": r.score_maximum,
             "state": r.state, "attempts": r.attempts, "error": r.last_error,
             "next_attempt_at": iso(r.next_attempt_at) if r.state == PENDING else None}
            for r in rows]
