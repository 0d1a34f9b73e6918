"""Standings: one function for the page, the API and the live event, computed in SQL.

The same function ranks a course (`standings(course)`): its learners only, its assignments
only, each submission (code or quiz attempt) at its credited score.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from .. import clock
from ..extensions import db
from ..models import Assignment, Challenge, Course, Extension, Membership, Submission, User, iso
from ..statuses import COUNTED


def score_shown(now: datetime) -> ColumnElement[bool]:
    """Submissions whose score may be shown: not held back by a course until its due time.

    Needs `Assignment` and `Extension` outer-joined to the submission (see `_counted`).
    """
    due = func.coalesce(Extension.due_at, Assignment.due_at)
    return or_(Assignment.id.is_(None), Assignment.feedback_before_due != "none",
               due.is_(None), due <= now)


def _counted(course: Course | None = None) -> Select:
    """Submissions that count: final verdicts that judge the work, by learners (not teachers).

    Each at its effective score (a teacher's override when there is one); for a course: its own
    submissions of challenges it still assigns, by its students, at their credited score
    (effective score * credit / 100, rounded down: integer division).
    """
    score = Submission.effective_score
    if course is not None:
        score = score * Submission.credit // 100
    query = (select(Submission.user_id, Submission.challenge_id, Submission.kind,
                    score.label("score"), Submission.max_score,
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

    A challenge's best score is the best code score plus the best quiz score (each kind's best
    counted once). Rows: rank, name, score, solved (challenges with every part at full
    points), last_improvement (when the learner last raised their total: the latest
    first-reaching of a positive best score). Teachers' own test submissions are left out;
    grader faults (internal_error) never count. With a course: its students, its assignments,
    credited scores.
    """
    counted = _counted(course).subquery("counted")
    part = (counted.c.user_id, counted.c.challenge_id, counted.c.kind)
    best = (select(*part, func.max(counted.c.score).label("best"))
            .group_by(*part).subquery("best"))
    # When each part's best score was first reached, and the points it was out of.
    reached = (select(best.c.user_id, best.c.challenge_id, best.c.kind, best.c.best,
                      func.min(counted.c.at).label("at"),
                      func.max(counted.c.max_score).label("max_score"))
               .join(counted, and_(counted.c.user_id == best.c.user_id,
                                   counted.c.challenge_id == best.c.challenge_id,
                                   counted.c.kind == best.c.kind,
                                   counted.c.score == best.c.best))
               .group_by(best.c.user_id, best.c.challenge_id, best.c.kind, best.c.best)
               .subquery("reached"))
    # Solved: as many parts at full points as the challenge has (code, quiz, or both).
    full_parts = (select(reached.c.user_id, reached.c.challenge_id,
                         func.sum(case((and_(reached.c.max_score > 0,
                                             reached.c.best >= reached.c.max_score), 1),
                                       else_=0)).label("full"))
                  .group_by(reached.c.user_id, reached.c.challenge_id).subquery("full_parts"))
    parts = case((Challenge.points > 0, 1), else_=0) + \
        case((Challenge.quiz_points > 0, 1), else_=0)
    solved = (select(full_parts.c.user_id, func.count().label("solved"))
              .join(Challenge, Challenge.id == full_parts.c.challenge_id)
              .where(full_parts.c.full >= parts)
              .group_by(full_parts.c.user_id).subquery("solved"))
    last = func.coalesce(func.max(case((reached.c.best > 0, reached.c.at))),
                         func.min(reached.c.at))
    total = func.sum(reached.c.best)
    rows = db.session.execute(
        select(User.username, total.label("score"),
               func.coalesce(func.max(solved.c.solved), 0).label("solved"),
               last.label("last"))
        .join(User, User.id == reached.c.user_id)
        .outerjoin(solved, solved.c.user_id == reached.c.user_id)
        .group_by(User.id, User.username)
        .order_by(total.desc(), last, func.lower(User.username)))
    return [{"rank": position, "name": name, "score": int(score), "solved": int(solved),
             "last_improvement": iso(when)}
            for position, (name, score, solved, when) in enumerate(rows, start=1)]
