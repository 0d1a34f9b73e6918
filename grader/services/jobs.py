"""Grading jobs: the one function both queue modes call, and the 'grading is paused' state.

A job claims a stored submission, has the runner grade it, and records the result. It says
what happened through `signals`; the live events and the queue listen.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import case, delete, func, or_, select, update

import runner

from .. import signals, statuses
from ..extensions import db
from ..models import QUIZ, Submission, TestResultRow, utcnow
from . import assignments, challenges, claims, leaderboard, pause, quiz_grading, versions, waiting

log = logging.getLogger(__name__)
# A 'running' row older than its timeout plus this margin was left by a process that died
# (the margin covers the sandbox's own grace period and container start-up).
STALE_MARGIN = timedelta(seconds=90)


@dataclass
class NextStep:
    """What the queue should do after one piece of work (or after finding none)."""

    action: str  # done | skipped | busy | retry | paused | idle | stopped
    delay_s: float = 0.0  # paused, retry, busy: look again after; idle: the next retry is due


@dataclass(frozen=True)
class JobKind:
    """Work besides grading that the grading workers take from the database (e.g. grade
    passback to an LMS). It needs no sandbox, so it goes on while grading is paused."""

    name: str
    run_next: Callable[[], bool]  # did one piece of work (False: none was due)
    seconds_to_next: Callable[[], float | None]  # until the next piece is due; None: none waits


def register_kind(app: Flask, kind: JobKind) -> None:
    """Let the app's workers do this kind of work too (once per kind and app)."""
    kinds = app.extensions.setdefault("grader_job_kinds", [])
    if all(known.name != kind.name for known in kinds):
        kinds.append(kind)


def job_kinds() -> list[JobKind]:
    """The extra kinds of work registered on the current app."""
    return list(current_app.extensions.get("grader_job_kinds", []))


def _run_other_kinds() -> bool:
    """One piece of due work of another kind; its failures are its own, never grading's."""
    for kind in job_kinds():
        try:
            if kind.run_next():
                return True
        except Exception:
            log.exception("a %s job crashed", kind.name)
            db.session.rollback()
    return False


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined]


def _changed(submission: Submission) -> None:
    signals.submission_changed.send(_app(), submission=submission)


def _claim(submission_id: int) -> datetime | None:
    """Mark a queued (or stale running) submission as running: the claim's time (its new
    `started_at`), or None if another worker has it.

    A running row is stale when it is older than the longest a grading can take (the suite's
    time limit plus the sandbox's margins): the worker that claimed it is gone.
    """
    now = utcnow()
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        return None
    try:
        version = submission.version or submission.challenge.current_version
        limit_s = challenges.runner_challenge(version).timeout_s
    except (runner.ChallengeError, OSError):
        limit_s = 600
    stale_before = now - timedelta(seconds=limit_s) - STALE_MARGIN
    result = db.session.execute(
        update(Submission)
        .where(Submission.id == submission_id,
               or_(Submission.status == statuses.QUEUED,
                   (Submission.status == statuses.RUNNING) & (Submission.started_at < stale_before)))
        .values(status=statuses.RUNNING, started_at=now, attempts=Submission.attempts + 1))
    db.session.commit()
    return now if result.rowcount == 1 else None


def _store_outcome(submission_id: int, position: int, test: runner.TestResult) -> None:
    existing = db.session.scalar(select(TestResultRow).where(
        TestResultRow.submission_id == submission_id, TestResultRow.test_id == test.id[:300]))
    row = existing or TestResultRow(submission_id=submission_id, test_id=test.id[:300])
    row.position = position
    row.title = test.title[:300]
    row.status = test.status
    row.points = test.points
    row.max_points = test.max_points
    row.message = test.message
    row.duration_ms = test.duration_ms
    db.session.add(row)
    db.session.commit()


def grade_submission(submission_id: int) -> NextStep:
    """Grade one stored submission; safe to call twice (test rows are replaced, not added)."""
    claimed_at = _claim(submission_id)
    if claimed_at is None:
        db.session.expire_all()
        current = db.session.get(Submission, submission_id)
        if current is not None and current.status == statuses.RUNNING:
            # Another worker has it; if that worker died, the claim goes stale: look again.
            return NextStep("busy", STALE_MARGIN.total_seconds() / 2)
        return NextStep("skipped")
    claims.hold(submission_id, claimed_at)
    try:
        return _grade_claimed(submission_id, claimed_at)
    finally:
        claims.release(submission_id)


def _grade_claimed(submission_id: int, claimed_at: datetime) -> NextStep:
    """Grade a submission this process has just claimed (at `claimed_at`)."""
    submission = db.session.get(Submission, submission_id)
    db.session.execute(delete(TestResultRow).where(TestResultRow.submission_id == submission_id))
    db.session.commit()
    _changed(submission)
    signals.queue_moved.send(_app())
    app = _app()
    config = app.config
    try:
        version = submission.version or submission.challenge.current_version
        loaded = challenges.runner_challenge(version)
        files = challenges.unzip_files(submission.files)
    except (runner.ChallengeError, zipfile.BadZipFile, OSError) as exc:
        result = runner.GradeResult(status=runner.Verdict.INTERNAL_ERROR, score=0,
                                    max_score=submission.max_score,
                                    message=f"The challenge could not be prepared: {exc}")
    else:
        owner_id, position = submission.user_id, [0]

        def on_test(test: runner.TestResult) -> None:
            # Called from a runner thread: it needs its own app context and session.
            with app.app_context():
                position[0] += 1
                _store_outcome(submission_id, position[0], test)
            signals.test_reported.send(app, submission_id=submission_id, owner_id=owner_id,
                                       test=test.to_dict())

        try:
            if submission.kind == QUIZ:
                result = quiz_grading.grade_attempt(submission, loaded, config["GRADER_BACKEND"])
            elif loaded.quiz_only:  # never handed to runner.grade: there are no tests to run
                result = quiz_grading.no_code(loaded)
            else:
                result = runner.grade(loaded, files, on_test=on_test,
                                      backend=config["GRADER_BACKEND"])
        except runner.EngineUnavailable as exc:
            if claims.stopping():
                return hand_back(submission_id, claimed_at)
            return _engine_lost(submission_id, str(exc))
        except Exception as exc:  # a grader fault must never lose the submission
            log.exception("grading submission %s failed", submission_id)
            db.session.rollback()
            result = runner.GradeResult(status=runner.Verdict.INTERNAL_ERROR, score=0,
                                        max_score=submission.max_score,
                                        message=f"The grader failed: {type(exc).__name__}")
        if claims.stopping():
            # The stop may have cut this grading short: its outcome says nothing of the code.
            return hand_back(submission_id, claimed_at)
        if result.status == runner.Verdict.INTERNAL_ERROR:
            # A sandbox that broke because the engine went away is an outage, not a fault of
            # this submission: it must not cost an attempt.
            ok, message = engine_ready()
            if not ok:
                return _engine_lost(submission_id, message)
    pause.set_paused(False)
    return _finish(submission_id, result)


def _engine_lost(submission_id: int, reason: str) -> NextStep:
    """Back to the queue without an attempt, grading paused until the engine answers."""
    db.session.rollback()
    submission = db.session.get(Submission, submission_id)

    def requeue() -> None:
        submission.status = statuses.QUEUED
        submission.started_at = None
        submission.attempts = max(0, submission.attempts - 1)  # not the learner's fault

    # The row goes back to the queue in the same commit that pauses grading: no other worker
    # claims it meanwhile, and no reader sees the pause with the row still `running`.
    pause.set_paused(True, reason if "Docker engine" in reason
                     else f"The Docker engine is unavailable: {reason}", also=requeue)
    _changed(submission)
    return NextStep("paused", float(current_app.config["GRADER_ENGINE_RETRY_S"]))


def hand_back(submission_id: int, claimed_at: datetime) -> NextStep:
    """This process is stopping: its claim goes back to the queue, the attempt given back.

    Only the claim made at `claimed_at` is undone: if another worker has since taken the row
    over (a claim gone stale), that worker's grading is left alone.
    """
    db.session.rollback()
    result = db.session.execute(
        update(Submission)
        .where(Submission.id == submission_id, Submission.status == statuses.RUNNING,
               Submission.started_at == claimed_at)
        .values(status=statuses.QUEUED, started_at=None, retry_at=None,
                attempts=case((Submission.attempts > 0, Submission.attempts - 1), else_=0)))
    db.session.commit()
    if result.rowcount:
        log.info("submission %s goes back to the queue: this worker is stopping", submission_id)
        db.session.expire_all()
        _changed(db.session.get(Submission, submission_id))
        signals.queue_moved.send(_app())
    return NextStep("stopped")


def engine_ready() -> tuple[bool, str]:
    """Can this worker grade right now? (the local backend needs no engine)"""
    if current_app.config["GRADER_BACKEND"] != "docker":
        return True, ""
    return runner.engine_status()


def run_next() -> NextStep:
    """Do the next piece of work in the queue's fair order, or say when to look again.

    While grading is paused no submission is touched: the engine is probed, and the queue
    stays exactly as it is (statuses stay `queued`) until it answers. A process that is
    stopping takes nothing (`stopped`). Work of the other registered kinds comes first: it is
    short and needs no engine.
    """
    if claims.stopping():
        return NextStep("stopped")
    if _run_other_kinds():
        return NextStep("done")
    if pause.status()["paused"]:
        ok, message = engine_ready()
        if not ok:
            pause.set_paused(True, message)
            return NextStep("paused", float(current_app.config["GRADER_ENGINE_RETRY_S"]))
        pause.set_paused(False)
    try:
        if versions.run_next_check():  # uploads are few; a teacher should not wait a backlog
            return NextStep("stopped" if claims.stopping() else "done")
    except runner.EngineUnavailable as exc:
        pause.set_paused(True, f"The Docker engine is unavailable: {exc}")
        return NextStep("paused", float(current_app.config["GRADER_ENGINE_RETRY_S"]))
    held: NextStep | None = None
    for submission_id in [*waiting.next_ids(), *_maybe_stale_ids()]:
        if claims.stopping():
            return NextStep("stopped")
        step = grade_submission(submission_id)
        if step.action == "busy":
            held = held or step  # a claim that may be a dead worker's: look again later
        elif step.action != "skipped":
            return step
    return held or NextStep("idle", _seconds_to_next_retry())


def _maybe_stale_ids() -> list[int]:
    """Running rows claimed long enough ago that their worker may be gone (`_claim` decides)."""
    before = utcnow() - STALE_MARGIN
    return list(db.session.scalars(select(Submission.id).where(
        Submission.status == statuses.RUNNING, Submission.started_at < before).limit(8)))


def _seconds_to_next_retry() -> float:
    """0 when nothing waits for a retry time; else how long until the first one is due."""
    due = db.session.scalar(select(func.min(Submission.retry_at)).where(
        Submission.status == statuses.QUEUED, Submission.retry_at.is_not(None)))
    waits = [max(0.05, (due - utcnow()).total_seconds())] if due is not None else []
    for kind in job_kinds():
        try:
            later = kind.seconds_to_next()
        except Exception:
            log.exception("could not ask the %s jobs when they are due", kind.name)
            db.session.rollback()
            continue
        if later is not None:
            waits.append(max(0.05, later))
    return min(waits) if waits else 0.0


def _finish(submission_id: int, result: runner.GradeResult) -> NextStep:
    config = current_app.config
    db.session.expire_all()
    submission = db.session.get(Submission, submission_id)
    if result.status == runner.Verdict.INTERNAL_ERROR and \
            submission.attempts < config["GRADER_MAX_ATTEMPTS"]:
        delay = float(config["GRADER_RETRY_DELAY_S"]) * (2 ** (submission.attempts - 1))
        submission.status = statuses.QUEUED
        submission.retry_at = utcnow() + timedelta(seconds=delay)
        submission.message = f"Grader fault, retrying (attempt {submission.attempts}): " \
                             f"{result.message}"[:2000]
        db.session.commit()
        _changed(submission)
        signals.queue_moved.send(_app())
        return NextStep("retry", delay)
    # Replace every test row with the final list: a second grading leaves no leftovers.
    db.session.execute(delete(TestResultRow).where(TestResultRow.submission_id == submission_id))
    for position, test in enumerate(result.tests, start=1):
        db.session.add(TestResultRow(
            submission_id=submission_id, position=position, test_id=test.id[:300],
            title=test.title[:300], status=test.status, points=test.points,
            max_points=test.max_points, message=test.message, duration_ms=test.duration_ms))
    now = utcnow()
    started = submission.started_at or now
    submission.status = str(result.status)
    submission.score = result.score
    submission.max_score = result.max_score or submission.max_score
    kept = submission.message if submission.message.startswith("Ignored files") else ""
    submission.message = "\n".join(m for m in (result.message, kept) if m)[:4000]
    submission.finished_at = now
    submission.retry_at = None
    submission.timings = {
        "queued": int((started - submission.submitted_at).total_seconds() * 1000),
        "run": int(result.timings_ms.get("run", (now - started).total_seconds() * 1000)),
        **{k: v for k, v in result.timings_ms.items() if k not in ("queued", "run")},
    }
    db.session.commit()
    _changed(submission)
    if submission.counts:
        signals.standings_changed.send(_app(), rows=leaderboard.standings())
        if submission.course is not None:
            assignments.announce_standings(submission.course)
    return NextStep("done")


def pending_ids() -> list[int]:
    """Submissions to (re)enqueue at start-up: queued ones and running ones left by a crash."""
    return list(db.session.scalars(select(Submission.id).where(
        Submission.status.in_(statuses.PENDING)).order_by(Submission.id)))


def requeue_running() -> int:
    """On a clean stop of the only grading process: what was running is queued again, and the
    interrupted attempt is given back (stopping the server is not the learner's fault)."""
    result = db.session.execute(
        update(Submission).where(Submission.status == statuses.RUNNING)
        .values(status=statuses.QUEUED, started_at=None,
                attempts=case((Submission.attempts > 0, Submission.attempts - 1), else_=0)))
    db.session.commit()
    return result.rowcount


def reset_running() -> int:
    """At start-up of the only grading process: running rows belong to no live worker."""
    result = db.session.execute(update(Submission).where(Submission.status == statuses.RUNNING)
                                .values(status=statuses.QUEUED, started_at=None))
    db.session.commit()
    return result.rowcount
