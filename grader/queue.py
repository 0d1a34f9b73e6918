"""The job queue: an in-process thread pool by default, Celery on Redis when configured.

Both modes run `services.jobs.grade_submission`. A submission row exists before its job is
queued, so a lost job is found again at start-up (`recover`); a job that runs twice is harmless.
The queue listens for `signals.grading_requested`; the services never call it directly.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app

from . import signals
from .celery_app import GRADE_TASK, celery_app
from .services import jobs

log = logging.getLogger(__name__)


class ThreadQueue:
    """A pool of grading threads inside the web process."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.workers = app.config["GRADER_WORKERS"]
        self._pool: ThreadPoolExecutor | None = None
        self._pending: set[int] = set()
        self._timers: dict[int, threading.Timer] = {}
        self._lock = threading.Lock()
        self._recovered = False

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="grader-worker")
            return self._pool

    def enqueue(self, submission_id: int, delay_s: float = 0.0) -> None:
        """Run the grading soon (or after `delay_s`); a submission waits in the pool only once."""
        if delay_s > 0:
            timer = threading.Timer(delay_s, self.enqueue, args=(submission_id,))
            timer.daemon = True
            with self._lock:
                old = self._timers.pop(submission_id, None)
                self._timers[submission_id] = timer
            if old is not None:
                old.cancel()
            timer.start()
            return
        with self._lock:
            self._timers.pop(submission_id, None)
            if submission_id in self._pending:
                return
            self._pending.add(submission_id)
        self._executor().submit(self._run, submission_id)

    def _run(self, submission_id: int) -> None:
        with self._lock:
            self._pending.discard(submission_id)
        try:
            with self.app.app_context():
                step = jobs.grade_submission(submission_id)
        except Exception:  # keep the pool alive; the row stays queued and is found at restart
            log.exception("grading job for submission %s crashed", submission_id)
            step = jobs.NextStep("retry", float(self.app.config["GRADER_RETRY_DELAY_S"]))
        if step.action in ("retry", "paused"):
            self.enqueue(submission_id, step.delay_s)

    def recover(self) -> int:
        """Queue every stored queued or running submission (this pool is the only worker)."""
        with self._lock:
            if self._recovered:
                return 0
            self._recovered = True
        with self.app.app_context():
            jobs.reset_running()
            ids = jobs.pending_ids()
        for submission_id in ids:
            self.enqueue(submission_id)
        if ids:
            log.info("requeued %d submissions left from before the restart", len(ids))
        return len(ids)

    def idle(self) -> bool:
        """Nothing waiting or scheduled in this process."""
        with self._lock:
            return not self._pending and not self._timers

    def shutdown(self, wait: bool = True) -> None:
        """Stop the pool (tests and clean exits)."""
        with self._lock:
            timers, self._timers = list(self._timers.values()), {}
            pool, self._pool = self._pool, None
        for timer in timers:
            timer.cancel()
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=not wait)


class CeleryQueue:
    """Hands jobs to Celery workers through Redis."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        celery_app.conf.broker_url = app.config["GRADER_REDIS_URL"]

    def enqueue(self, submission_id: int, delay_s: float = 0.0) -> None:
        """Send the job to the broker (with a countdown for retries)."""
        celery_app.send_task(GRADE_TASK, (submission_id,), countdown=delay_s or None)

    def recover(self) -> int:
        """Re-send every queued submission: the broker may have lost them (duplicates are no-ops)."""
        with self.app.app_context():
            ids = jobs.pending_ids()
        for submission_id in ids:
            self.enqueue(submission_id)
        return len(ids)

    def idle(self) -> bool:
        return True

    def shutdown(self, wait: bool = True) -> None:
        """Nothing runs in this process."""


def _on_grading_requested(app: Flask, submission_id: int, delay_s: float = 0.0,
                          **_: Any) -> None:
    app.extensions["grader_queue"].enqueue(submission_id, delay_s)


def init_app(app: Flask) -> None:
    """Attach the configured queue to the app and let it hear grading requests."""
    signals.grading_requested.connect(_on_grading_requested)
    mode = app.config["GRADER_QUEUE"]
    app.extensions["grader_queue"] = CeleryQueue(app) if mode == "celery" else ThreadQueue(app)
    if app.config.get("GRADER_RECOVER_ON_START") and mode == "thread":
        # Recover on the first request, not at import: `flask db upgrade` or `flask users`
        # must not start grading threads in a short-lived process.
        @app.before_request
        def _recover_once() -> None:
            queue = app.extensions["grader_queue"]
            if not queue._recovered:
                try:
                    queue.recover()
                except Exception:  # the schema may not exist yet; the next request tries again
                    queue._recovered = False
                    log.exception("could not requeue pending submissions")


def get_queue() -> ThreadQueue | CeleryQueue:
    """The current app's queue."""
    return current_app.extensions["grader_queue"]


def enqueue(submission_id: int, delay_s: float = 0.0) -> None:
    """Queue the grading of a stored submission."""
    get_queue().enqueue(submission_id, delay_s)
