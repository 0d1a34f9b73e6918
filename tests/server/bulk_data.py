"""A class at the deadline, made in seconds: many learners and submissions by bulk insert.

The server tests count the SQL statements of the standings and of one page of a list on such a
database; the tables benchmark (bench/bench_tables.py) times them. Rows are inserted with
executemany in a few statements, not through the services, so ten thousand take a second or two.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, insert, select
from werkzeug.security import generate_password_hash

from grader.extensions import db
from grader.models import Challenge, Submission, TestResultRow, User, utcnow
from grader.services import challenges

BATCH = 2000
VERDICTS = ("passed", "failed", "failed", "error", "timeout")


def _insert(model: type, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start:start + BATCH])


def fill(app: Flask, submissions: int, learners: int = 200, extra_challenges: int = 9,
         queued: int = 20, seed: int = 7) -> dict[str, int]:
    """Add learners, challenges and `submissions` graded submissions (two test rows each) by
    those learners, `queued` of them (spread evenly in time) still waiting; returns each new
    learner's expected leaderboard score (the sum of their best score per challenge)."""
    pick = random.Random(seed)
    with app.app_context():
        hello = challenges.get("hello-routes", None)
        start = (db.session.scalar(select(func.count(User.id))) or 0) + 1
        names = [f"bulk{start + n:05d}" for n in range(learners)]
        password = generate_password_hash("bulk-password-1")  # one hash, shared: hashing is slow
        _insert(User, [{"username": name, "password_hash": password, "role": "student",
                        "created_at": utcnow()} for name in names])
        known = db.session.scalar(select(func.count(Challenge.id))) or 0
        _insert(Challenge, [{"slug": f"bulk-{known + n:03d}", "title": f"Bulk {known + n}",
                             "concepts": [], "points": 100, "order": 100 + known + n,
                             "published": True, "current_version_id": hello.current_version_id,
                             "created_at": utcnow(), "updated_at": utcnow()}
                            for n in range(extra_challenges)])
        users = list(db.session.scalars(select(User.id).where(User.username.in_(names))))
        # hello-routes gets a third of the work: the teacher's page of it is the big one
        challenge_ids = list(db.session.scalars(select(Challenge.id)))
        weights = [len(challenge_ids) if c == hello.id else 1 for c in challenge_ids]
        files = challenges.zip_files({"app.py": b"from flask import Flask\n"})
        now = utcnow()
        rows, best = [], defaultdict(dict)
        every = submissions // queued if queued else 0
        for n in range(submissions):
            user = pick.choice(users)
            challenge = pick.choices(challenge_ids, weights)[0]
            at = now - timedelta(seconds=submissions - n)
            waiting = bool(every) and n % every == every - 1
            score = 0 if waiting else pick.choice((0, 40, 60, 100))
            status = "queued" if waiting else ("passed" if score == 100 else pick.choice(VERDICTS[1:]))
            rows.append({"user_id": user, "challenge_id": challenge, "status": status,
                         "score": score, "max_score": 100, "message": "", "files": files,
                         "submitted_at": at, "finished_at": None if waiting else at,
                         "started_at": None if waiting else at, "attempts": 0 if waiting else 1,
                         "timings": {} if waiting else {"queued": 10, "run": 200}})
            if not waiting:
                best[user][challenge] = max(score, best[user].get(challenge, 0))
        _insert(Submission, rows)
        ids = list(db.session.scalars(select(Submission.id).order_by(Submission.id.desc())
                                      .limit(submissions)))
        _insert(TestResultRow, [
            {"submission_id": sid, "position": position, "test_id": f"test_routes.py::t{position}",
             "title": f"Check {position}", "status": "passed", "points": 50, "max_points": 50,
             "message": "", "duration_ms": 3} for sid in ids for position in (1, 2)])
        db.session.commit()
        named = dict(db.session.execute(select(User.id, User.username)).all())
    return {named[user]: sum(scores.values()) for user, scores in best.items()}
