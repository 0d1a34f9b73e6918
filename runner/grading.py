"""Grading one submission: build the job, run it on a backend, turn the records into a verdict."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from . import backends
from .backends import Backend, get_backend
from .challenge import Challenge
from .job import Job, make_job
from .model import EngineUnavailable, GradeResult, Rejected, RunnerError, Verdict
from .results import Collector, OnTest, decide
from .settings import RunnerSettings, current_settings
from .submission import read_folder, validate_files, with_starter

log = logging.getLogger(__name__)


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def run_job(challenge: Challenge, job: Job, backend: Backend, on_test: OnTest | None) -> GradeResult:
    """Run a prepared job and turn what came out into the result."""
    started_at, t0 = iso_now(), time.monotonic()
    collector = Collector(job.nonce, on_test, challenge.points)
    ended = backend.run(job, collector.feed)
    decision = decide(collector, ended, challenge)
    verdict = decision.verdict
    if collector.done is None or verdict is Verdict.INTERNAL_ERROR:
        log.warning("sandbox run for %s ended with %s (exit %s); harness said: %s", challenge.slug,
                    verdict, ended.exit_code, ended.diagnostics[-2000:])
    tests = collector.tests(decision.missing, "Not run: the suite stopped before this test.")
    score = sum(t.points for t in tests) if verdict is not Verdict.INTERNAL_ERROR else 0
    detail = decision.detail or decision.message
    if collector.done is None and ended.diagnostics.strip():
        detail = f"{detail}\nWhat the sandbox printed:\n{ended.diagnostics[-2000:]}".strip()
    return GradeResult(status=verdict, score=score, max_score=challenge.points, tests=tests,
                       message=decision.message, started_at=started_at, finished_at=iso_now(),
                       timings_ms={"run": int((time.monotonic() - t0) * 1000)}, detail=detail)


def shutdown() -> None:
    """Close every backend this process made (warm sandboxes are removed); for clean exits."""
    backends.close_all()


def cancel_running() -> None:
    """Stop every grading this process runs now and start no new one (a stop that gives back).

    Each one returns at once with `internal_error`; the caller, who is stopping, puts the
    submission back in its queue instead of recording that. `shutdown()` still removes the warm
    sandboxes afterwards.
    """
    backends.cancel_all()


def grade(challenge: Challenge, files: Mapping[str, bytes], on_test: OnTest | None = None, *,
          backend: str | None = None, settings: RunnerSettings | None = None) -> GradeResult:
    """Grade a learner's files against a challenge's hidden tests (see the package docstring).

    `settings` defaults to the configured ones (`runner.configure`), else the environment's;
    `backend` overrides the settings' backend for this call.
    """
    try:
        checked = validate_files(challenge, files)
    except Rejected as exc:
        now = iso_now()
        return GradeResult(status=Verdict.REJECTED, score=0, max_score=challenge.points,
                           message=str(exc), started_at=now, finished_at=now)
    return _grade_files(challenge, checked, on_test, backend, settings)


def grade_folder(challenge: Challenge, folder: os.PathLike | str, on_test: OnTest | None = None, *,
                 backend: str | None = None,
                 settings: RunnerSettings | None = None) -> GradeResult:
    """Grade a folder of files as a submission (solutions, mutants, starters), unfiltered."""
    return _grade_files(challenge, read_folder(Path(folder)), on_test, backend, settings)


def _grade_files(challenge: Challenge, files: Mapping[str, bytes], on_test: OnTest | None,
                 backend: str | None, settings: RunnerSettings | None) -> GradeResult:
    """Files the starter completes, run on a backend; grader faults become internal_error."""
    settings = settings or current_settings()
    engine = get_backend(backend or settings.backend, settings)
    job = make_job(challenge, with_starter(challenge, files))
    try:
        return run_job(challenge, job, engine, on_test)
    except EngineUnavailable:
        raise
    except RunnerError as exc:
        now = iso_now()
        return GradeResult(status=Verdict.INTERNAL_ERROR, score=0, max_score=challenge.points,
                           message=f"The grader failed: {exc}", started_at=now, finished_at=now)


def engine_status(settings: RunnerSettings | None = None) -> tuple[bool, str]:
    """Is the Docker engine reachable and the runner image present? (ok, message)"""
    from .docker_engine import probe

    return probe(settings or current_settings())


def runtime_problem(settings: RunnerSettings | None = None) -> str | None:
    """Why the configured sandbox runtime (e.g. gVisor's runsc) cannot be used, or None."""
    settings = settings or current_settings()
    if settings.backend != "docker" or settings.runtime == "runc":
        return None
    from .docker_engine import runtime_problem as problem

    return problem(settings)
