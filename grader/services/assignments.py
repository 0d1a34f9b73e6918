"""Assignments and extensions, and the rules a course submission meets when it is stored.

The pages, the API and the CLI all go through `admit` (may this learner submit this challenge
for this course now, and at what credit?) and `feedback_mode` (how much of a graded submission
may this person see right now?).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from .. import clock, signals, statuses
from ..extensions import db
from ..models import (
    FEEDBACK_MODES,
    Assignment,
    Challenge,
    Course,
    Extension,
    Membership,
    Submission,
    User,
)
from . import accounts, challenges, courses, deadlines
from .errors import ServiceError, not_found

FIELDS = ("opens_at", "due_at", "closes_at", "late_policy", "max_submissions",
          "feedback_before_due")


def find(course: Course, challenge_slug: str) -> Assignment:
    """The course's assignment of this challenge, or a 404."""
    assignment = db.session.scalar(
        select(Assignment).join(Challenge, Challenge.id == Assignment.challenge_id)
        .where(Assignment.course_id == course.id, Challenge.slug == challenge_slug))
    if assignment is None:
        raise not_found(f"Challenge {challenge_slug!r} in the course {course.slug!r}")
    return assignment


def for_challenge(course_id: int, challenge_id: int) -> Assignment | None:
    """The assignment a course submission of this challenge counts for, if any."""
    return db.session.scalar(select(Assignment).where(Assignment.course_id == course_id,
                                                      Assignment.challenge_id == challenge_id))


def extension_for(assignment: Assignment, user_id: int) -> Extension | None:
    """One learner's extension of one assignment, if any."""
    return db.session.scalar(select(Extension).where(Extension.assignment_id == assignment.id,
                                                     Extension.user_id == user_id))


def dates(assignment: Assignment, user_id: int | None) -> deadlines.Dates:
    """The learner's own dates (the assignment's for staff and when no extension exists)."""
    extension = extension_for(assignment, user_id) if user_id is not None else None
    return deadlines.dates_for(assignment, extension)


def _time(data: dict[str, Any], field: str, current: datetime | None) -> datetime | None:
    if field not in data:
        return current
    value = data[field]
    return None if value is None or value == "" else deadlines.parse_time(value, field)


def put(actor: User, course_slug: str, challenge_slug: str, data: dict[str, Any]) -> Assignment:
    """Course teachers place a challenge in the course or change its assignment.

    Fields left out keep their value (for a new assignment: open now, no closing time, no late
    credit, no cap, full feedback); `due_at` is needed the first time, and `null` there means
    no due time (nothing is late). Credits already given are recomputed from each
    submission's own `submitted_at` under the new rules.
    """
    course = courses.for_teacher(actor, course_slug)
    challenge = challenges.get(challenge_slug, actor)
    assignment = for_challenge(course.id, challenge.id)
    created = assignment is None
    if created:
        # By ids, not relationships: an assignment refused below never joins the session.
        assignment = Assignment(course_id=course.id, challenge_id=challenge.id,
                                opens_at=clock.now(), late_policy=[], feedback_before_due="full")
    opens_at = _time(data, "opens_at", assignment.opens_at) or clock.now()
    due_at = _time(data, "due_at", assignment.due_at)
    closes_at = _time(data, "closes_at", assignment.closes_at)
    if created and "due_at" not in data:
        raise ServiceError(422, "invalid_request", "due_at: give the due time (ISO 8601 with a "
                                                   "zone, e.g. 2026-11-23T10:00:00Z), or null "
                                                   "for none")
    if due_at is not None and opens_at >= due_at:
        raise ServiceError(422, "invalid_dates", "opens_at must come before due_at")
    if closes_at is not None and closes_at < (due_at or opens_at):
        raise ServiceError(422, "invalid_dates", "closes_at cannot come before due_at")
    policy = deadlines.check_policy(data.get("late_policy", assignment.late_policy))
    cap = data.get("max_submissions", assignment.max_submissions)
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
        raise ServiceError(422, "invalid_request",
                           "max_submissions must be a whole number of at least 1, or null")
    feedback = data.get("feedback_before_due") or assignment.feedback_before_due
    if feedback not in FEEDBACK_MODES:
        raise ServiceError(422, "invalid_request",
                           f"feedback_before_due must be one of {', '.join(FEEDBACK_MODES)}")
    assignment.opens_at, assignment.due_at, assignment.closes_at = opens_at, due_at, closes_at
    assignment.late_policy, assignment.max_submissions = policy, cap
    assignment.feedback_before_due = feedback
    if created:
        db.session.add(assignment)
    db.session.commit()
    if not created:
        recredit(assignment)
    return assignment


def remove(actor: User, course_slug: str, challenge_slug: str) -> None:
    """Course teachers take a challenge out of the course (its submissions are kept)."""
    course = courses.for_teacher(actor, course_slug)
    db.session.delete(find(course, challenge_slug))
    db.session.commit()
    announce_standings(course)


def grant_extension(actor: User, course_slug: str, username: str, challenge_slug: str,
                    data: dict[str, Any]) -> Extension:
    """Course staff give one learner a later due and/or closing time for one assignment."""
    course, _ = courses.for_staff(actor, course_slug)
    assignment = find(course, challenge_slug)
    learner = accounts.by_username(username or "")
    if learner is None or courses.membership(course, learner) is None:
        raise not_found(f"{username!r} in the course {course.slug!r}")
    existing = extension_for(assignment, learner.id)
    due_at = _time(data, "due_at", existing.due_at if existing else None)
    closes_at = _time(data, "closes_at", existing.closes_at if existing else None)
    if due_at is None and closes_at is None:
        raise ServiceError(422, "invalid_request", "Give due_at, closes_at or both")
    if due_at is not None and assignment.due_at is not None and due_at < assignment.due_at:
        raise ServiceError(422, "invalid_dates",
                           "An extension cannot move the due time earlier than the "
                           f"assignment's ({deadlines.describe(assignment.due_at, course.time_zone)})")
    # Checked on a detached copy: nothing reaches the session until the dates hold.
    effective = deadlines.dates_for(assignment, Extension(due_at=due_at, closes_at=closes_at))
    if closes_at is not None and closes_at < effective.due_at:
        raise ServiceError(422, "invalid_dates", "closes_at cannot come before the due time")
    extension = existing or Extension(assignment_id=assignment.id, user_id=learner.id)
    extension.due_at, extension.closes_at = due_at, closes_at
    extension.granted_by_id = actor.id
    db.session.add(extension)
    db.session.commit()
    recredit(assignment, learner.id)
    return extension


def revoke_extension(actor: User, course_slug: str, username: str, challenge_slug: str) -> None:
    """Course staff take an extension back: the assignment's own dates apply again."""
    course, _ = courses.for_staff(actor, course_slug)
    assignment = find(course, challenge_slug)
    learner = accounts.by_username(username or "")
    extension = extension_for(assignment, learner.id) if learner is not None else None
    if extension is None:
        raise not_found(f"An extension of {challenge_slug!r} for {username!r}")
    db.session.delete(extension)
    db.session.commit()
    recredit(assignment, learner.id)


def recredit(assignment: Assignment, user_id: int | None = None) -> int:
    """Recompute lateness and credit of the assignment's submissions after its rules changed.

    Each keeps its own `submitted_at`: a new due time or policy applies to when the work was
    handed in, never to when it was graded. Returns how many credits changed.
    """
    query = select(Submission).where(Submission.course_id == assignment.course_id,
                                     Submission.challenge_id == assignment.challenge_id)
    if user_id is not None:
        query = query.where(Submission.user_id == user_id)
    extensions: dict[int, Extension | None] = {}
    changed = 0
    for submission in db.session.scalars(query):
        if submission.user_id not in extensions:
            extensions[submission.user_id] = extension_for(assignment, submission.user_id)
        credit = deadlines.credit_for(submission.submitted_at, assignment,
                                      extensions[submission.user_id])
        if (submission.credit, submission.late_hours) != (credit.credit, credit.late_hours):
            submission.credit, submission.late_hours = credit.credit, credit.late_hours
            changed += 1
    db.session.commit()
    if changed:
        announce_standings(assignment.course)
    return changed


@dataclass(frozen=True)
class Admission:
    """A course submission allowed now: where it counts and the credit it is stored with."""

    course: Course
    assignment: Assignment
    credit: deadlines.Credit


def used_submissions(assignment: Assignment, user_id: int) -> int:
    """Submissions a learner has made for the assignment (grader faults and rejects excluded)."""
    return db.session.scalar(select(func.count(Submission.id)).where(
        Submission.course_id == assignment.course_id,
        Submission.challenge_id == assignment.challenge_id, Submission.user_id == user_id,
        Submission.status.not_in(statuses.NOT_COUNTED))) or 0


def admit(user: User, course_slug: str, challenge: Challenge, at: datetime,
          new: bool = True) -> Admission:
    """May `user` submit `challenge` for the course at `at`? The credit if so, a 4xx if not.

    Learners: 403 outside the course, 404 when the challenge is not assigned, 409 `not_open`
    before its opening time, 409 `closed` after its (possibly extended) closing time, 409
    `submission_limit` once the cap is reached (code submissions and quiz attempts count
    together). Staff try assignments out at any time. `new=False` admits more answers to a
    quiz attempt already made: the times apply, the cap does not (no submission is added).
    """
    course, role = courses.for_member(user, course_slug)
    assignment = for_challenge(course.id, challenge.id)
    if assignment is None:
        raise not_found(f"Challenge {challenge.slug!r} in the course {course.slug!r}")
    extension = extension_for(assignment, user.id)
    credit = deadlines.credit_for(at, assignment, extension)
    if role != "student":
        return Admission(course, assignment, credit)
    capped = new and assignment.max_submissions is not None
    if capped:
        # Lock the learner's roster row: two submissions sent at once cannot both take the
        # last place (PostgreSQL; SQLite serialises writers anyway).
        db.session.execute(select(Membership.id).where(
            Membership.course_id == course.id, Membership.user_id == user.id).with_for_update())
    mine = deadlines.dates_for(assignment, extension)
    zone = course.time_zone
    if at < mine.opens_at:
        raise ServiceError(409, "not_open",
                           f"{challenge.slug!r} opens in {course.slug!r} on "
                           f"{deadlines.describe(mine.opens_at, zone)}")
    if mine.closes_at is not None and at > mine.closes_at:
        raise ServiceError(409, "closed",
                           f"{challenge.slug!r} closed in {course.slug!r} on "
                           f"{deadlines.describe(mine.closes_at, zone)}; you can still submit "
                           "it outside the course, as practice")
    if capped and used_submissions(assignment, user.id) >= assignment.max_submissions:
        raise ServiceError(409, "submission_limit",
                           f"You have used all {assignment.max_submissions} submissions of "
                           f"{challenge.slug!r} in {course.slug!r}")
    return Admission(course, assignment, credit)


def readmit(user: User, course: Course, challenge: Challenge,
            at: datetime) -> deadlines.Credit:
    """The credit of new answers to a course's quiz attempt at `at` (a 4xx when refused)."""
    return admit(user, course.slug, challenge, at, new=False).credit


def feedback_mode(viewer: User | None, submission: Submission,
                  at: datetime | None = None) -> tuple[str, datetime | None]:
    """How much of a submission `viewer` may see now, and until when it is held back.

    `full` for practice submissions, for staff, once the owner's (possibly extended) due time
    has passed, and for assignments that show everything; otherwise the assignment's
    `feedback_before_due` (`score` or `none`) and the owner's due time.
    """
    if submission.course_id is None:
        return "full", None
    if viewer is not None and getattr(viewer, "is_authenticated", False) and (
            viewer.is_teacher or courses.is_staff(viewer, submission.course_id)):
        return "full", None
    assignment = for_challenge(submission.course_id, submission.challenge_id)
    if assignment is None or assignment.feedback_before_due == "full":
        return "full", None
    due = dates(assignment, submission.user_id).due_at
    if due is None or (at or clock.now()) >= due:
        return "full", None
    return assignment.feedback_before_due, due


def announce_standings(course: Course) -> None:
    """Tell the live events that the course's standings may have changed."""
    from . import leaderboard

    signals.course_standings_changed.send(current_app._get_current_object(),  # type: ignore[attr-defined]
                                          course=course.slug, rows=leaderboard.standings(course))
