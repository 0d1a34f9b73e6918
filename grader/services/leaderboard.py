"""Standings: one function for the page, the API and the live event, computed in SQL.

The same function ranks a course (`standings(course)`): its learners only, its assignments
only, each submission at its credited score.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from .. import clock
from ..extensions import db
from ..models import Assignment, Course, Extension, Membership, Submission, User, iso
from ..statuses import COUNTED


def score_shown(now: datetime) -> ColumnElement[bool]:
    """Submissions whose score may be shown: not held back by a course until its due time.

    Needs `Assignment` and `Extension` outer-joined to the submission (see `_counted`).
    """
    due = func.coalesce(Extension.due_at, Assignment.due_at)
    return or_(Assignment.id.is_(None), Assignment.feedback_before_due != "none",
               due.is_(None), due <= now)


def _counted(course: Course | None = None) -> Select:
    """Submissions that count: final verdicts that judge the code, by learners (not teachers).

    For a course: its own submissions of challenges it still assigns, by its students, at
    their credited score (score * credit / 100, rounded down: integer division).
    """
    score = Submission.score if course is None else Submission.score * Submission.credit // 100
    query = (select(Submission.user_id, Submission.challenge_id, score.label("score"),
                    Submission.max_score,
                    func.coalesce(Submission.finished_at, Submission.submitted_at).label("at"))
             .join(User, User.id == Submission.user_id)
             .outerjoin(Assignment, and_(Assignment.course_id == Submission.course_id,
                                         Assignment.challenge_id == Submission.challenge_id))
             .outerjoin(Extension, and_(Extension.assignment_id == Assignment.id,
                                        Extension.user_id == Submission.user_id))
             .where(Submission.status.in_(COUNTED), score_shown(clock.now())))
    if course is None:
        return query.where(User.role == "student")
    return (query.join(Membership, and_(Membership.course_id == course.id,
                                        Membership.user_id == Submission.user_id))
            .where(Submission.course_id == course.id, Assignment.id.is_not(None),
                   Membership.role == "student"))


def standings(course: Course | None = None) -> list[dict[str, Any]]:
    """Learners ranked by the sum of their best score per challenge; ties: who got there first.

    Rows: rank, name, score, solved (challenges at full points), last_improvement (when the
    learner last raised their total: the latest first-reaching of a positive best score).
    Teachers' own test submissions are left out; grader faults (internal_error) never count.
    With a course: its students, its assignments, credited scores.
    """
    counted = _counted(course).subquery("counted")
    best = (select(counted.c.user_id, counted.c.challenge_id,
                   func.max(counted.c.score).label("best"))
            .group_by(counted.c.user_id, counted.c.challenge_id).subquery("best"))
    # When each best score was first reached, and the points it was out of.
    reached = (select(best.c.user_id, best.c.challenge_id, best.c.best,
                      func.min(counted.c.at).label("at"),
                      func.max(counted.c.max_score).label("max_score"))
               .join(counted, and_(counted.c.user_id == best.c.user_id,
                                   counted.c.challenge_id == best.c.challenge_id,
                                   counted.c.score == best.c.best))
               .group_by(best.c.user_id, best.c.challenge_id, best.c.best).subquery("reached"))
    last = func.coalesce(func.max(case((reached.c.best > 0, reached.c.at))),
                         func.min(reached.c.at))
    total = func.sum(reached.c.best)
    rows = db.session.execute(
        select(User.username, total.label("score"),
               func.sum(case((and_(reached.c.max_score > 0,
                                   reached.c.best >= reached.c.max_score), 1), else_=0))
               .label("solved"),
               last.label("last"))
        .join(User, User.id == reached.c.user_id)
        .group_by(User.id, User.username)
        .order_by(total.desc(), last, func.lower(User.username)))
    return [{"rank": position, "name": name, "score": int(score), "solved": int(solved),
             "last_improvement": iso(when)}
            for position, (name, score, solved, when) in enumerate(rows, start=1)]
