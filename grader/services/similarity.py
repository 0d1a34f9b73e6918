"""Similarity of learners' code: a background job per challenge, cached until its inputs change.

The inputs are each learner's best submission (highest effective score, the latest of equals)
and the challenge version's starter, which is boilerplate. A run stores its progress and then
its pairs; a request finds the run made from the current inputs, or stores a new one and asks
for it to be computed (`signals.similarity_requested`; the queue listens).
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update

from .. import signals, statuses
from ..extensions import db
from ..models import Challenge, Submission, User, iso, utcnow
from ..review_models import SimilarityRun
from . import challenges, fingerprints
from .errors import ServiceError, forbidden

log = logging.getLogger(__name__)
KEEP_PAIRS = 500  # the most similar pairs kept per run, with their matches
PROGRESS_EVERY_S = 0.5
# A run claimed longer ago than this was left by a worker that died: it may be claimed again.
STALE_AFTER = timedelta(minutes=15)


def _app() -> Any:
    return current_app._get_current_object()  # type: ignore[attr-defined]


def best_submissions(challenge: Challenge) -> list[Submission]:
    """Each learner's best graded submission of the challenge (teachers' tries left out)."""
    rows = db.session.scalars(
        select(Submission).join(User, User.id == Submission.user_id)
        .where(Submission.challenge_id == challenge.id, Submission.status.in_(statuses.COUNTED),
               User.role == "student")
        .order_by(Submission.user_id, Submission.effective_score.desc(), Submission.id.desc()))
    best: dict[int, Submission] = {}
    for row in rows:
        best.setdefault(row.user_id, row)
    return sorted(best.values(), key=lambda s: s.id)


def inputs_key(challenge: Challenge, best: list[Submission]) -> str:
    """What a run is computed from: the starter's version and the best submissions' ids."""
    version = challenge.current_version
    text = f"{version.checksum if version else '-'}|{','.join(str(s.id) for s in best)}"
    return hashlib.sha256(text.encode()).hexdigest()


def _texts(files: dict[str, bytes]) -> dict[str, str]:
    out = {}
    for path, content in files.items():
        try:
            out[path] = content.decode("utf-8")
        except UnicodeDecodeError:
            continue  # a binary file is not code to compare
    return out


def progress(run: SimilarityRun) -> dict[str, Any]:
    """The answer while a run waits or works (and the live event's payload)."""
    return {"challenge": run.challenge.slug, "run": run.id, "state": run.state,
            "done": run.done, "total": run.total, "submissions": run.submissions,
            "message": run.message, "requested_at": iso(run.created_at),
            "started_at": iso(run.started_at), "finished_at": iso(run.finished_at)}


def _latest(challenge: Challenge, key: str) -> SimilarityRun | None:
    return db.session.scalar(select(SimilarityRun).where(
        SimilarityRun.challenge_id == challenge.id, SimilarityRun.inputs == key)
        .order_by(SimilarityRun.id.desc()).limit(1))


def _require_teacher(user: User) -> None:
    if not user.is_teacher:
        raise forbidden("Only teachers can see the similarity of submissions")


def start(user: User, challenge: Challenge) -> SimilarityRun:
    """Store a new run for the current inputs and ask for it to be computed."""
    _require_teacher(user)
    best = best_submissions(challenge)
    run = SimilarityRun(challenge_id=challenge.id, inputs=inputs_key(challenge, best),
                        submissions=len(best), total=len(best) * (len(best) - 1) // 2,
                        requested_by_id=user.id)
    db.session.add(run)
    db.session.commit()
    signals.similarity_requested.send(_app(), run_id=run.id)
    _announce(run)
    return run


def current(user: User, challenge: Challenge) -> SimilarityRun:
    """The run of the current inputs: finished (the cache), on its way, or started now.

    A failed run is reported (503), not repeated on every request: `start` tries again.
    """
    _require_teacher(user)
    run = _latest(challenge, inputs_key(challenge, best_submissions(challenge)))
    if run is None:
        return start(user, challenge)
    if run.state == "failed":
        raise ServiceError(503, "similarity_failed",
                           f"The last similarity computation failed: {run.message}. "
                           "Start a new one (POST) to try again.")
    return run


def result(run: SimilarityRun, threshold: float = 0.0,
           limit: int | None = None) -> dict[str, Any]:
    """The Similarity contract's answer: {"pairs": [...]} highest first, plus what it covers."""
    pairs = [p for p in run.pairs or [] if p["similarity"] >= threshold]
    if limit is not None:
        pairs = pairs[:limit]
    return {"pairs": pairs, "challenge": run.challenge.slug, "run": run.id,
            "submissions": run.submissions, "compared": run.total, "threshold": threshold,
            "computed_at": iso(run.finished_at)}


def pair(run: SimilarityRun, a: int, b: int) -> dict[str, Any]:
    """One pair of a finished run with both documents, for the side-by-side view."""
    found = next((p for p in run.pairs or [] if {p["a"], p["b"]} == {a, b}), None)
    if found is None:
        raise ServiceError(404, "not_found", f"Submissions {a} and {b} are not a pair of this "
                                             "result (only the most similar pairs are kept)")
    sides = {}
    for key in ("a", "b"):
        submission = db.session.get(Submission, found[key])
        doc = fingerprints.document(found[key], _texts(challenges.unzip_files(submission.files)))
        sides[key] = {"id": submission.id, "user": submission.user.username, "text": doc.text,
                      "files": [{"path": p, "start": s, "end": e} for p, s, e in doc.segments]}
    return {**found, "sides": sides}


# -- the job -----------------------------------------------------------------------------------

def _announce(run: SimilarityRun) -> None:
    signals.similarity_progress.send(_app(), progress=progress(run))


def _claim(run_id: int) -> bool:
    stale = utcnow() - STALE_AFTER
    claimed = db.session.execute(
        update(SimilarityRun).where(
            SimilarityRun.id == run_id,
            or_(SimilarityRun.state == "queued",
                (SimilarityRun.state == "running") & (SimilarityRun.started_at < stale)))
        .values(state="running", started_at=utcnow(), done=0))
    db.session.commit()
    return claimed.rowcount == 1


def compute(run_id: int) -> bool:
    """Compute one stored run (safe to call twice: a run already claimed is left alone)."""
    if not _claim(run_id):
        return False
    run = db.session.get(SimilarityRun, run_id)
    challenge = run.challenge
    try:
        best = best_submissions(challenge)
        run.inputs = inputs_key(challenge, best)  # the inputs at the time it ran
        run.submissions, run.total = len(best), len(best) * (len(best) - 1) // 2
        db.session.commit()
        _announce(run)
        starter = fingerprints.boilerplate(_texts(challenges.starter_files(challenge)))
        users = {s.id: s.user.username for s in best}
        docs = [fingerprints.document(s.id, _texts(challenges.unzip_files(s.files)), starter)
                for s in best]
        last = [time.monotonic()]

        def on_progress(done: int, total: int) -> None:
            if time.monotonic() - last[0] < PROGRESS_EVERY_S and done < total:
                return
            last[0] = time.monotonic()
            run.done = done
            db.session.commit()
            _announce(run)

        pairs = fingerprints.all_pairs(docs, keep=KEEP_PAIRS, progress=on_progress)
        for row in pairs:
            row["users"] = [users[row["a"]], users[row["b"]]]
        run.pairs = [{"a": p["a"], "b": p["b"], "users": p["users"],
                      "similarity": p["similarity"], "matches": p["matches"]} for p in pairs]
        run.state, run.done, run.finished_at = "done", run.total, utcnow()
    except Exception as exc:  # noqa: BLE001 - the run records its failure; the job goes on
        log.exception("similarity run %s failed", run_id)
        db.session.rollback()
        run = db.session.get(SimilarityRun, run_id)
        run.state, run.message, run.finished_at = "failed", f"{type(exc).__name__}: {exc}", utcnow()
    db.session.commit()
    _announce(run)
    return True


def pending_ids() -> list[int]:
    """Runs waiting to be computed, oldest first (and claims that went stale)."""
    stale = utcnow() - STALE_AFTER
    return list(db.session.scalars(select(SimilarityRun.id).where(
        or_(SimilarityRun.state == "queued",
            (SimilarityRun.state == "running") & (SimilarityRun.started_at < stale)))
        .order_by(SimilarityRun.id)))


def run_next() -> bool:
    """Compute the oldest waiting run; False when none waits."""
    for run_id in pending_ids():
        if compute(run_id):
            return True
    return False


def reset_running() -> int:
    """At start-up of the only worker process: a running run belongs to no live worker."""
    result_ = db.session.execute(update(SimilarityRun).where(SimilarityRun.state == "running")
                                 .values(state="queued", started_at=None))
    db.session.commit()
    return result_.rowcount
