"""Standings: one function for the page, the API and the live event, computed in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, func, select

from ..extensions import db
from ..models import Challenge, Submission, User, iso
from ..statuses import COUNTED


def _counted() -> Select:
    """Submissions that count: final verdicts that judge the work, by learners (not teachers)."""
    return (select(Submission.user_id, Submission.challenge_id, Submission.kind,
                   Submission.score, Submission.max_score,
                   func.coalesce(Submission.finished_at, Submission.submitted_at).label("at"))
            .join(User, User.id == Submission.user_id)
            .where(Submission.status.in_(COUNTED), User.role == "student"))


def standings() -> list[dict[str, Any]]:
    """Learners ranked by the sum of their best score per challenge; ties: who got there first.

    A challenge's best score is the best code score plus the best quiz score (each kind's best
    counted once). Rows: rank, name, score, solved (challenges with every part at full
    points), last_improvement (when the learner last raised their total: the latest
    first-reaching of a positive best score). Teachers' own test submissions are left out;
    grader faults (internal_error) never count.
    """
    counted = _counted().subquery("counted")
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
    parts = case((Challenge.points > 0, 1), else_=0) + case((Challenge.quiz_points > 0, 1),
                                                            else_=0)
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
