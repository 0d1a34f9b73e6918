"""Celery tasks (GRADER_QUEUE=celery): `celery -A grader.tasks worker`.

The worker builds the same Flask app as the web process, so it reads the same database and
emits live events through Flask-SocketIO's message queue on the same Redis.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery, signals
from flask import Flask

log = logging.getLogger(__name__)
celery_app = Celery("grader")
celery_app.conf.update(
    broker_url=os.environ.get("GRADER_REDIS_URL") or "redis://127.0.0.1:6379/0",
    task_acks_late=True,  # a job whose worker dies is delivered again
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)
_flask_app: Flask | None = None


def flask_app() -> Flask:
    """The worker's Flask app, built once per worker process."""
    global _flask_app
    if _flask_app is None:
        from . import create_app

        _flask_app = create_app()
    return _flask_app


@celery_app.task(name="grader.grade", bind=True)
def grade_task(self: Any, submission_id: int) -> str:
    """Grade one submission; schedules itself again after a grader fault or an engine outage."""
    from .services import grading

    app = flask_app()
    with app.app_context():
        outcome = grading.grade_submission(submission_id)
        if outcome.action in ("retry", "paused", "busy"):
            self.apply_async((submission_id,), countdown=outcome.delay_s)
    return outcome.action


@signals.worker_ready.connect
def _requeue_pending(**_: Any) -> None:
    """Jobs lost with a broker restart are found again from the database."""
    try:
        count = flask_app().extensions["grader_queue"].recover()
        if count:
            log.info("re-sent %d pending submissions", count)
    except Exception:
        log.exception("could not re-send pending submissions")
