"""Celery tasks (GRADER_QUEUE=celery): `celery -A grader.tasks worker`.

The worker builds the same Flask app as the web process, so it reads the same database and
emits live events through Flask-SocketIO's message queue on the same Redis.

A warm shutdown (SIGTERM, or a first Ctrl+C) gives back what the worker is grading rather than
making the learners wait for it: the gradings are cancelled, their submissions go back to
`queued` with the attempt refunded (`services.claims`), each job is rejected back to the broker,
which delivers it to another worker (jobs are acknowledged only when they end, `acks_late`), and
the warm sandboxes are removed before the process exits.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import signals
from celery.exceptions import Reject
from flask import Flask

import runner

from .app import create_app
from .celery_app import GRADE_TASK, SIMILARITY_TASK, celery_app
from .services import claims, jobs, similarity

log = logging.getLogger(__name__)
__all__ = ["celery_app", "grade_task", "similarity_task"]
_flask_app: Flask | None = None


def flask_app() -> Flask:
    """The worker's Flask app, built once per worker process."""
    global _flask_app
    if _flask_app is None:
        _flask_app = create_app()
    return _flask_app


@celery_app.task(name=GRADE_TASK, bind=True)
def grade_task(self: Any, submission_id: int | None = None) -> str:
    """Do the next piece of work in the fair order (the id only says what asked for it).

    One job is sent per stored submission, so the jobs and the work balance; a job that finds
    the work paused, held back for a retry, or claimed by a worker that may be dead, comes back
    when it is due.
    """
    app = flask_app()
    with app.app_context():
        step = jobs.run_next()
    if step.action == "stopped":
        # Not acknowledged: the broker hands the job to a worker that is not stopping.
        raise Reject("this worker is stopping; the job goes back to the queue", requeue=True)
    if step.action in ("retry", "paused", "busy") or (step.action == "idle" and step.delay_s):
        self.apply_async((submission_id,), countdown=step.delay_s)
    return step.action


@celery_app.task(name=SIMILARITY_TASK)
def similarity_task(run_id: int) -> bool:
    """Compute one stored similarity run (a run another worker claimed is left alone)."""
    with flask_app().app_context():
        return similarity.compute(run_id)


@signals.worker_ready.connect
def _requeue_pending(**_: Any) -> None:
    """Jobs lost with a broker restart are found again from the database."""
    try:
        count = flask_app().extensions["grader_queue"].recover()
        if count:
            log.info("re-sent %d pending submissions", count)
    except Exception:
        log.exception("could not re-send pending submissions")


@signals.worker_shutting_down.connect
def _hand_back_on_stop(**_: Any) -> None:
    """Sent from the signal handler as the warm shutdown begins: claim nothing, cancel gradings."""
    claims.begin_stop()


@signals.worker_shutdown.connect
def _remove_warm_sandboxes(**_: Any) -> None:
    """The gradings have ended: remove the sandboxes started ahead of time."""
    runner.shutdown()
