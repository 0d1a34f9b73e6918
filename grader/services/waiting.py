"""The queue's order and what learners are told about it: position in line and expected wait.

The order is fair: learners take turns. Every learner's oldest waiting submission comes before
anyone's second one, so one learner's ten submissions never delay another learner's first. Within
a turn, and within a learner, the oldest goes first. Both queue modes take work in this order.
"""

from __future__ import annotations

import math
import statistics
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from .. import statuses
from ..extensions import db
from ..models import Submission, utcnow

# How far back finished gradings tell the current pace of the queue.
PACE_WINDOW = timedelta(minutes=5)
RECENT_RUNS = 30


def _ready(now: Any) -> Any:
    """Queued, and not held back until a retry time."""
    return and_(Submission.status == statuses.QUEUED,
                or_(Submission.retry_at.is_(None), Submission.retry_at <= now))


def fair_order(now: Any = None) -> Select:
    """(id, user_id, score, max_score, turn) of every ready submission, in the queue's order.

    A submission's turn is 1 plus the number of the same learner's earlier submissions that
    were still waiting or running when it arrived: ann's tenth of a burst has turn 10 even once
    her first nine are graded, so bob's first (turn 1) goes before it.
    """
    now = now or utcnow()
    earlier = aliased(Submission)
    ahead = (select(func.count(earlier.id))
             .where(earlier.user_id == Submission.user_id,
                    or_(earlier.submitted_at < Submission.submitted_at,
                        and_(earlier.submitted_at == Submission.submitted_at,
                             earlier.id < Submission.id)),
                    or_(earlier.status.in_(statuses.PENDING),
                        earlier.finished_at > Submission.submitted_at))
             .correlate(Submission).scalar_subquery())
    ready = (select(Submission.id, Submission.user_id, Submission.submitted_at,
                    Submission.score, Submission.max_score, (ahead + 1).label("turn"))
             .where(_ready(now)).subquery("ready"))
    return (select(ready.c.id, ready.c.user_id, ready.c.score, ready.c.max_score, ready.c.turn)
            .order_by(ready.c.turn, ready.c.submitted_at, ready.c.id))


def next_ids(limit: int = 8) -> list[int]:
    """The next few submissions to grade (a worker claims the first one it can)."""
    return list(db.session.scalars(
        select(fair_order().subquery().c.id).limit(limit)))


def _seconds_per_grading() -> float:
    """How long one grading occupies a worker lately (median of recent runs; a default first)."""
    runs = [t.get("run") for t in db.session.scalars(
        select(Submission.timings).where(Submission.finished_at.is_not(None))
        .order_by(Submission.finished_at.desc()).limit(RECENT_RUNS)) if isinstance(t, dict)]
    runs = [r for r in runs if isinstance(r, int) and r > 0]
    return statistics.median(runs) / 1000 if runs else 3.0


def _pace() -> float:
    """Gradings finished per second lately, or an estimate from the workers and run time."""
    since = utcnow() - PACE_WINDOW
    finished = db.session.scalar(select(func.count(Submission.id)).where(
        Submission.finished_at >= since)) or 0
    estimate = max(1, int(current_app.config["GRADER_WORKERS"])) / _seconds_per_grading()
    if finished >= 10:
        return max(finished / PACE_WINDOW.total_seconds(), estimate / 4)
    return estimate


def line() -> list[dict[str, Any]]:
    """Every waiting submission in order: id, user_id, score, max_score, queue_position (from
    1) and eta_s (expected seconds until its grading starts)."""
    order = list(db.session.execute(fair_order()))
    if not order:
        return []
    pace = _pace()
    return [{"id": row.id, "user_id": row.user_id, "score": row.score,
             "max_score": row.max_score, "queue_position": place,
             "eta_s": math.ceil((place - 1) / pace)}
            for place, row in enumerate(order, start=1)]


def positions() -> dict[int, tuple[int, int]]:
    """submission id -> (place in line from 1, expected seconds until its grading starts)."""
    return {row["id"]: (row["queue_position"], row["eta_s"]) for row in line()}


def position_of(submission: Submission) -> tuple[int | None, int | None]:
    """(queue_position, eta_s) of one submission; (None, None) unless it waits in line."""
    if submission.status != statuses.QUEUED:
        return None, None
    found = positions().get(submission.id)
    return found if found is not None else (None, None)
