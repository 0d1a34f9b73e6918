"""The job queue: in-process grading threads by default, Celery on Redis when configured.

The database is the queue. A submission row exists before any job is sent, and a worker takes
the next piece of work in the fair order of `services.waiting` (`jobs.run_next`), whichever
request woke it: a lost wake-up is found again at start-up (`recover`), and a job that runs twice
is harmless. The queue listens for `signals.grading_requested`; the services never call it.

Similarity runs are a second kind of job, stored the same way (`services.similarity`): in the
embedded mode one background thread of their own computes them, so a long computation never
holds up a grading; in the scaled mode they are a Celery task.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask

from . import signals
from .celery_app import GRADE_TASK, SIMILARITY_TASK, celery_app
from .services import jobs, similarity

log = logging.getLogger(__name__)
IDLE_LOOK_S = 30.0  # an idle worker looks at the database this often even without a wake-up


class ThreadQueue:
    """Grading threads inside the web process, each taking the next fair job when free."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.workers = app.config["GRADER_WORKERS"]
        self._threads: list[threading.Thread] = []
        self._wake = threading.Condition()
        self._signalled = 0
        self._stopping = False
        self._busy = 0
        self._recovered = False
        self.background = BackgroundThread(app)

    def enqueue_similarity(self, run_id: int) -> None:
        """A similarity run is stored: the background thread computes it."""
        self.background.enqueue()

    def _start(self) -> None:
        with self._wake:
            if self._threads or self._stopping:
                return
            for number in range(self.workers):
                thread = threading.Thread(target=self._work, name=f"grader-worker-{number + 1}",
                                          daemon=True)
                self._threads.append(thread)
                thread.start()

    def enqueue(self, submission_id: int | None = None, delay_s: float = 0.0) -> None:
        """Wake a worker now (or after `delay_s`): some work waits in the database."""
        if delay_s > 0:
            timer = threading.Timer(delay_s, self.enqueue)
            timer.daemon = True
            timer.start()
            return
        self._start()
        with self._wake:
            self._signalled += 1
            self._wake.notify()

    def _work(self) -> None:
        while True:
            with self._wake:
                if self._stopping:
                    return
                self._busy += 1
            try:
                with self.app.app_context():
                    step = jobs.run_next()
            except Exception:  # keep the worker alive; the row stays queued and is found again
                log.exception("a grading job crashed")
                step = jobs.NextStep("retry", float(self.app.config["GRADER_RETRY_DELAY_S"]))
            with self._wake:
                self._busy -= 1
                if step.action in ("done", "skipped", "retry") and not self._stopping:
                    continue  # there may be more work right away
                wait = step.delay_s if step.delay_s > 0 else IDLE_LOOK_S
                if self._signalled == 0:
                    self._wake.wait(timeout=min(wait, IDLE_LOOK_S))
                self._signalled = max(0, self._signalled - 1)

    def recover(self) -> int:
        """Queue every stored queued or running submission (this pool is the only worker)."""
        with self._wake:
            if self._recovered:
                return 0
            self._recovered = True
        with self.app.app_context():
            jobs.reset_running()
            count = len(jobs.pending_ids())
        self._start()
        with self._wake:
            self._signalled += count
            self._wake.notify_all()
        self.background.recover()
        if count:
            log.info("requeued %d submissions left from before the restart", count)
        return count

    def idle(self) -> bool:
        """No worker of this process is doing anything right now."""
        with self._wake:
            return self._busy == 0

    def shutdown(self, wait: bool = True) -> None:
        """Stop the workers (tests and clean exits); `wait` for the current jobs to end."""
        with self._wake:
            self._stopping = True
            threads, self._threads = list(self._threads), []
            self._wake.notify_all()
        self.background.shutdown(wait)
        if wait:
            for thread in threads:
                thread.join(timeout=120)


class BackgroundThread:
    """One thread for the other stored jobs (similarity runs), woken when one is stored."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._thread: threading.Thread | None = None
        self._wake = threading.Condition()
        self._signalled = 0
        self._stopping = False

    def enqueue(self) -> None:
        """Wake the thread (starting it the first time): a job waits in the database."""
        with self._wake:
            if self._stopping:
                return
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="grader-background",
                                                daemon=True)
                self._thread.start()
            self._signalled += 1
            self._wake.notify()

    def _work(self) -> None:
        while True:
            with self._wake:
                if self._stopping:
                    return
            try:
                with self.app.app_context():
                    worked = similarity.run_next()
            except Exception:  # keep the thread alive; the run stays stored and is found again
                log.exception("a background job crashed")
                worked = False
            with self._wake:
                if worked or self._stopping:
                    continue
                if self._signalled == 0:
                    self._wake.wait(timeout=IDLE_LOOK_S)
                self._signalled = max(0, self._signalled - 1)

    def recover(self) -> None:
        """Runs left running by a stopped process are queued again and computed."""
        with self.app.app_context():
            similarity.reset_running()
            waiting = similarity.pending_ids()
        if waiting:
            self.enqueue()

    def shutdown(self, wait: bool = True) -> None:
        with self._wake:
            self._stopping = True
            thread, self._thread = self._thread, None
            self._wake.notify_all()
        if wait and thread is not None:
            thread.join(timeout=120)


class CeleryQueue:
    """Hands jobs to Celery workers through Redis."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        celery_app.conf.broker_url = app.config["GRADER_REDIS_URL"]

    def enqueue(self, submission_id: int | None = None, delay_s: float = 0.0) -> None:
        """Send a job to the broker: a worker takes the next fair piece of work when it runs."""
        celery_app.send_task(GRADE_TASK, (submission_id,), countdown=delay_s or None)

    def enqueue_similarity(self, run_id: int) -> None:
        """Send a similarity run to the broker."""
        celery_app.send_task(SIMILARITY_TASK, (run_id,))

    def recover(self) -> int:
        """Re-send every queued submission: the broker may have lost them (duplicates are no-ops)."""
        with self.app.app_context():
            ids = jobs.pending_ids()
            runs = similarity.pending_ids()
            other_work = any(kind.seconds_to_next() is not None for kind in jobs.job_kinds())
        for submission_id in ids:
            self.enqueue(submission_id)
        for run_id in runs:
            self.enqueue_similarity(run_id)
        if other_work:
            self.enqueue(None)  # e.g. grade passbacks waiting for their retry
        return len(ids)

    def idle(self) -> bool:
        return True

    def shutdown(self, wait: bool = True) -> None:
        """Nothing runs in this process."""


def _on_grading_requested(app: Flask, submission_id: int, delay_s: float = 0.0,
                          **_: Any) -> None:
    app.extensions["grader_queue"].enqueue(submission_id, delay_s)


def _on_similarity_requested(app: Flask, run_id: int, **_: Any) -> None:
    app.extensions["grader_queue"].enqueue_similarity(run_id)


def init_app(app: Flask) -> None:
    """Attach the configured queue to the app and let it hear grading requests."""
    signals.grading_requested.connect(_on_grading_requested)
    signals.similarity_requested.connect(_on_similarity_requested)
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
