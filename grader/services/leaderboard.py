"""Standings: one function for the page, the API and the live event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Submission, User, iso
from ..statuses import COUNTED


def standings() -> list[dict[str, Any]]:
    """Learners ranked by the sum of their best score per challenge; ties: who got there first.

    Rows: rank, name, score, solved (challenges at full points), last_improvement (when the
    learner last raised their total). Teachers' own test submissions are left out; grader
    faults (internal_error) never count.
    """
    rows = db.session.execute(
        select(Submission.user_id, User.username, Submission.challenge_id, Submission.score,
               Submission.max_score, Submission.finished_at, Submission.submitted_at)
        .join(User, User.id == Submission.user_id)
        .where(Submission.status.in_(COUNTED), User.role == "student")
        .order_by(Submission.finished_at, Submission.id))
    # best[(user, challenge)] = (score, max_score, first time that score was reached)
    best: dict[tuple[int, int], tuple[int, int, datetime]] = {}
    names: dict[int, str] = {}
    for user_id, username, challenge_id, score, max_score, finished, submitted in rows:
        names[user_id] = username
        when = finished or submitted
        key = (user_id, challenge_id)
        if key not in best or score > best[key][0]:
            best[key] = (score, max_score, when)
    totals: dict[int, dict[str, Any]] = {}
    for (user_id, _), (score, max_score, when) in best.items():
        entry = totals.setdefault(user_id, {"score": 0, "solved": 0, "last": when})
        entry["score"] += score
        entry["solved"] += int(max_score > 0 and score >= max_score)
        if score > 0 and when > entry["last"]:
            entry["last"] = when
    ordered = sorted(totals.items(), key=lambda item: (-item[1]["score"], item[1]["last"],
                                                       names[item[0]].lower()))
    return [{"rank": position, "name": names[user_id], "score": entry["score"],
             "solved": entry["solved"], "last_improvement": iso(entry["last"])}
            for position, (user_id, entry) in enumerate(ordered, start=1)]
