"""What a course shows: a member's view of its assignments, and the staff's gradebook.

A learner's assignment score is the best credited score (score * credit / 100, rounded down)
over their counted course code submissions plus the best over their course quiz attempts
(each part counted once, as on the leaderboard); the gradebook has one row per learner, one
column per assignment, and a total.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from .. import clock, statuses
from ..extensions import db
from ..models import CODE, QUIZ, Assignment, Course, Extension, Submission, User, iso
from . import courses, deadlines

EMPTY_PARTS = ("code_credited_score", "quiz_credited_score", "code_submission",
               "quiz_submission")


def _state(dates: deadlines.Dates, now: datetime) -> str:
    if now < dates.opens_at:
        return "upcoming"
    if dates.due_at is None or now <= dates.due_at:
        return "open"
    if dates.closes_at is None or now <= dates.closes_at:
        return "late"
    return "closed"


@dataclass(frozen=True)
class Best:
    """A learner's best course work on one assignment: the best code submission and the best
    quiz attempt, each kind's best counted once. The assignment score is their sum, out of
    the challenge's code points plus its quiz points."""

    code: Submission | None
    quiz: Submission | None
    max_score: int

    @property
    def parts(self) -> list[Submission]:
        return [s for s in (self.code, self.quiz) if s is not None]

    @property
    def submission(self) -> Submission:
        """The one a cell links to: the code submission when there is one."""
        return self.parts[0]

    @property
    def id(self) -> int:
        return self.submission.id

    @property
    def credited_score(self) -> int:
        return sum(s.credited_score for s in self.parts)

    @property
    def effective_score(self) -> int:
        return sum(s.effective_score for s in self.parts)

    @property
    def credit(self) -> int:
        """The lowest credit of the parts: below 100 when any part came late."""
        return min(s.credit for s in self.parts)

    @property
    def late_hours(self) -> float:
        return max(s.late_hours for s in self.parts)

    @property
    def submitted_at(self) -> datetime:
        return max(s.submitted_at for s in self.parts)

    def fields(self) -> dict[str, Any]:
        """Each part's credited score and submission id (added beside the combined ones)."""
        return {"code_credited_score": self.code.credited_score if self.code else None,
                "quiz_credited_score": self.quiz.credited_score if self.quiz else None,
                "code_submission": self.code.id if self.code else None,
                "quiz_submission": self.quiz.id if self.quiz else None}


def _best_of_kind(rows: list[Submission], kind: str) -> Submission | None:
    """The submission of one kind giving the best credited score (the earliest among equals)."""
    counted = [s for s in rows if s.kind == kind and s.status in statuses.COUNTED]
    if not counted:
        return None
    return max(counted, key=lambda s: (s.credited_score, -s.id))


def _best(rows: list[Submission]) -> Best | None:
    """The best credited code submission and quiz attempt among `rows` (one learner, one
    challenge), or None when nothing counts."""
    code, quiz = _best_of_kind(rows, CODE), _best_of_kind(rows, QUIZ)
    if code is None and quiz is None:
        return None
    challenge = (code or quiz).challenge  # type: ignore[union-attr]
    return Best(code, quiz, challenge.total_points)


def best_submission(course_id: int, challenge_id: int, user_id: int) -> Best | None:
    """The learner's best counted course work for one assignment (its `credited_score` is the
    assignment score: best credited code + best credited quiz attempt), or None."""
    return _best(list(db.session.scalars(select(Submission).where(
        Submission.course_id == course_id, Submission.challenge_id == challenge_id,
        Submission.user_id == user_id).order_by(Submission.id))))


def best_submissions(course: Course) -> dict[tuple[int, int], Best]:
    """(learner id, challenge id) -> the best counted course work, for the whole course."""
    found = {key: _best(rows) for key, rows in _submissions(course).items()}
    return {key: best for key, best in found.items() if best is not None}


def _submissions(course: Course, user_id: int | None = None) -> dict[tuple[int, int], list]:
    """The course's submissions by (learner, challenge), oldest first."""
    query = select(Submission).where(Submission.course_id == course.id)
    if user_id is not None:
        query = query.where(Submission.user_id == user_id)
    grouped: dict[tuple[int, int], list[Submission]] = defaultdict(list)
    for submission in db.session.scalars(query.order_by(Submission.id)):
        grouped[(submission.user_id, submission.challenge_id)].append(submission)
    return grouped


def _extensions(course: Course) -> dict[tuple[int, int], Extension]:
    rows = db.session.scalars(select(Extension).join(Assignment).where(
        Assignment.course_id == course.id))
    return {(e.assignment_id, e.user_id): e for e in rows}


def course_info(course: Course, role: str | None) -> dict[str, Any]:
    """The course as the API shows it; the join code only to its staff."""
    staff = role in ("assistant", "teacher")
    return {"slug": course.slug, "title": course.title, "time_zone": course.time_zone,
            "role": role, "join_code": course.join_code if staff else None,
            "code": course.join_code if staff else None,
            "members": len(course.members), "created_at": iso(course.created_at)}


def assignment_info(assignment: Assignment) -> dict[str, Any]:
    """An assignment's own settings (what staff edit)."""
    challenge = assignment.challenge
    return {"challenge": challenge.slug, "title": challenge.title, "points": challenge.points,
            "quiz_points": challenge.quiz_points, "total_points": challenge.total_points,
            "published": challenge.published, "opens_at": iso(assignment.opens_at),
            "due_at": iso(assignment.due_at), "closes_at": iso(assignment.closes_at),
            "late_policy": list(assignment.late_policy or []),
            "max_submissions": assignment.max_submissions,
            "feedback_before_due": assignment.feedback_before_due}


def course_view(user: User, course: Course, role: str) -> dict[str, Any]:
    """The course for one member: its assignments with the member's own dates and scores.

    Learners see only assignments that have opened, of published challenges; the dates are
    their own (an extension replaces the due and closing times); `credited_score` is their
    best credited score, held back like the rest of the feedback until the due time when the
    assignment says `none`.
    """
    now = clock.now()
    mine = _submissions(course, user.id)
    extensions = _extensions(course)
    staff = role in ("assistant", "teacher")
    rows = []
    for assignment in course.assignments:
        extension = extensions.get((assignment.id, user.id))
        dates = deadlines.dates_for(assignment, extension)
        if not staff and (now < dates.opens_at or not assignment.challenge.published):
            continue
        submitted = mine.get((user.id, assignment.challenge_id), [])
        used = sum(1 for s in submitted if s.status not in statuses.NOT_COUNTED)
        best = _best(submitted)
        hidden = not staff and assignment.feedback_before_due == "none" and \
            dates.due_at is not None and now < dates.due_at
        row = {**assignment_info(assignment),
               "due_at": iso(dates.due_at), "closes_at": iso(dates.closes_at),
               "default_due_at": iso(assignment.due_at),
               "default_closes_at": iso(assignment.closes_at),
               "extended": dates.extended, "state": _state(dates, now),
               "submissions": used,
               "submissions_left": None if assignment.max_submissions is None
               else max(0, assignment.max_submissions - used),
               "pending": any(s.status in statuses.PENDING for s in submitted),
               "feedback_hidden": hidden,
               "best_score": None, "credited_score": None, "credit": None, "late_hours": None,
               "best_submission": None, "code_credited_score": None,
               "quiz_credited_score": None, "best_code_submission": None,
               "best_quiz_submission": None}
        if best is not None and not hidden:
            parts = best.fields()
            row.update(best_score=best.effective_score, credited_score=best.credited_score,
                       credit=best.credit, late_hours=best.late_hours, best_submission=best.id,
                       code_credited_score=parts["code_credited_score"],
                       quiz_credited_score=parts["quiz_credited_score"],
                       best_code_submission=parts["code_submission"],
                       best_quiz_submission=parts["quiz_submission"])
        rows.append(row)
    return {**course_info(course, role), "assignments": rows}


def gradebook(course: Course) -> dict[str, Any]:
    """One row per learner, one cell per assignment (credited best), a total; late and missing.

    A cell is `late` when its best credited submission came after the learner's due time,
    `missing` when the due time has passed with nothing counted, `pending` while a submission
    waits for its grade, `on_time`, or `not_due` (nothing yet, and there is still time).
    """
    now = clock.now()
    assignments = list(course.assignments)
    grouped = _submissions(course)
    extensions = _extensions(course)
    rows = []
    for learner in courses.students(course):
        cells, total, late, missing = [], 0, [], []
        for assignment in assignments:
            slug = assignment.challenge.slug
            extension = extensions.get((assignment.id, learner.id))
            dates = deadlines.dates_for(assignment, extension)
            submitted = grouped.get((learner.id, assignment.challenge_id), [])
            best = _best(submitted)
            if best is not None:
                state = "late" if best.late_hours > 0 else "on_time"
            elif any(s.status in statuses.PENDING for s in submitted):
                state = "pending"
            else:
                state = "missing" if dates.due_at is not None and now > dates.due_at \
                    else "not_due"
            if state == "late":
                late.append(slug)
            elif state == "missing":
                missing.append(slug)
            total += best.credited_score if best is not None else 0
            cells.append({
                "challenge": slug, "state": state,
                "credited_score": best.credited_score if best else None,
                "score": best.effective_score if best else None, "credit": best.credit if best else None,
                "late_hours": best.late_hours if best else None,
                "submission": best.id if best else None,
                "submitted_at": iso(best.submitted_at) if best else None,
                "submissions": sum(1 for s in submitted
                                   if s.status not in statuses.NOT_COUNTED),
                "due_at": iso(dates.due_at), "closes_at": iso(dates.closes_at),
                "extended": dates.extended,
                **(best.fields() if best else dict.fromkeys(EMPTY_PARTS))})
        rows.append({"user": learner.username, "total": total, "late": late,
                     "missing": missing, "cells": cells,
                     "scores": {cell["challenge"]: cell["credited_score"] for cell in cells}})
    return {"course": course.slug, "title": course.title, "time_zone": course.time_zone,
            "assignments": [assignment_info(a) for a in assignments],
            "max_total": sum(a.challenge.total_points for a in assignments), "rows": rows}


def gradebook_csv(course: Course) -> str:
    """The gradebook for a registrar: username, one credited score per assignment, total,
    then the assignments handed in late and those missing (blank: nothing counted yet)."""
    book = gradebook(course)
    slugs = [a["challenge"] for a in book["assignments"]]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["username", *slugs, "total", "late", "missing"])
    for row in book["rows"]:
        writer.writerow([row["user"],
                         *("" if row["scores"][slug] is None else row["scores"][slug]
                           for slug in slugs),
                         row["total"], " ".join(row["late"]), " ".join(row["missing"])])
    return out.getvalue()
