"""Grading one submission: build the job, run it on a backend, turn the records into a verdict."""

from __future__ import annotations

import io
import json
import logging
import os
import secrets
import tarfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from .challenge import Challenge
from .model import EngineUnavailable, GradeResult, Rejected, RunnerError, TestResult, Verdict
from .submission import read_folder, validate_files, with_starter

log = logging.getLogger(__name__)

MAX_LINE = 64 * 1024
MAX_RECORDS_BYTES = 4 * 1024 * 1024
MAX_TESTS = 500
HOST_GRACE_S = 20  # after the harness's own deadline and the entrypoint's backstop
TEST_STATUSES = {"passed", "failed", "error", "timeout"}

OnTest = Callable[[TestResult], None]


@dataclass
class Job:
    """Everything the sandbox needs for one run."""

    nonce: str
    header: dict[str, Any]
    archive: bytes  # tar: tests/... and app/...
    tests: dict[str, bytes]
    app: dict[str, bytes]
    timeout_s: int
    memory_mb: int

    def payload(self) -> bytes:
        header = dict(self.header, size=len(self.archive))
        return json.dumps(header).encode() + b"\n" + self.archive


@dataclass
class Outcome:
    """How the run ended, as seen from outside the sandbox."""

    exit_code: int | None = None
    timed_out: bool = False
    oom_killed: bool = False
    error: str | None = None  # a fault of the grading machinery
    diagnostics: str = ""


class Backend(Protocol):
    def run(self, job: Job, on_line: Callable[[bytes], None]) -> Outcome: ...


def _tar(files: Mapping[str, Mapping[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for top, entries in files.items():
            for name, content in sorted(entries.items()):
                info = tarfile.TarInfo(f"{top}/{name}")
                info.size = len(content)
                info.mode = 0o644
                info.mtime = 0
                archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def make_job(challenge: Challenge, app_files: Mapping[str, bytes]) -> Job:
    tests = read_folder(challenge.tests_dir)
    nonce = secrets.token_hex(16)
    header = {"nonce": nonce, "entry": challenge.entry, "points": challenge.points,
              "feedback": challenge.feedback, "timeout_s": challenge.timeout_s}
    return Job(nonce=nonce, header=header, archive=_tar({"tests": tests, "app": app_files}),
               tests=tests, app=dict(app_files), timeout_s=challenge.timeout_s,
               memory_mb=challenge.memory_mb)


class Collector:
    """Reads the harness's records; accepts only well-formed lines carrying this run's nonce."""

    def __init__(self, nonce: str, on_test: OnTest | None, max_score: int) -> None:
        self.nonce = nonce.encode()
        self.on_test = on_test
        self.max_score = max_score
        self.plan: dict[str, dict[str, Any]] = {}
        self.results: dict[str, TestResult] = {}
        self.done: dict[str, Any] | None = None
        self.aborted = ""
        self.received = 0
        self.rejected_lines = 0

    def feed(self, line: bytes) -> None:
        self.received += len(line)
        if self.received > MAX_RECORDS_BYTES or len(line) > MAX_LINE:
            self.rejected_lines += 1
            return
        prefix, _, payload = line.strip().partition(b" ")
        if not secrets.compare_digest(prefix, self.nonce):
            self.rejected_lines += 1
            return
        try:
            record = json.loads(payload)
            self._accept(record)
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring a malformed harness record: %s", exc)
            self.rejected_lines += 1

    def _accept(self, record: dict[str, Any]) -> None:
        kind = record["type"]
        if kind == "plan" and not self.plan:
            for test in record["tests"][:MAX_TESTS]:
                self.plan[str(test["id"])] = {"title": str(test["title"]),
                                              "max_points": int(test["max_points"])}
        elif kind == "test":
            result = TestResult.from_dict(record)
            planned = self.plan.get(result.id)
            if planned is None or result.id in self.results or result.status not in TEST_STATUSES:
                raise ValueError(f"unexpected test record {result.id!r}")
            result.max_points = planned["max_points"]
            result.points = result.max_points if result.status == "passed" else 0
            self.results[result.id] = result
            if self.on_test is not None:
                try:
                    self.on_test(result)
                except Exception:  # noqa: BLE001 - a listener's bug must not lose the grading
                    log.exception("on_test callback failed")
        elif kind == "done" and self.done is None:
            self.done = record
        elif kind == "aborted":
            self.aborted = str(record.get("reason", ""))

    def tests(self, missing_status: str, missing_message: str) -> list[TestResult]:
        """Every planned test in order; those without a result get `missing_status`."""
        out = []
        for test_id, planned in self.plan.items():
            out.append(self.results.get(test_id) or TestResult(
                id=test_id, title=planned["title"], status=missing_status, points=0,
                max_points=planned["max_points"], message=missing_message))
        return out


def decide(collector: Collector, outcome: Outcome, challenge: Challenge) -> tuple[Verdict, str, str]:
    """The verdict, its message, and the status given to tests that never reported."""
    done = collector.done or {}
    if outcome.error:
        return Verdict.INTERNAL_ERROR, f"The grader failed: {outcome.error}", "error"
    if done.get("collect_errors"):
        return (Verdict.INTERNAL_ERROR, "The challenge's hidden tests could not be loaded; "
                "this is the challenge's fault, not yours.", "error")
    if outcome.timed_out or done.get("timeouts") or collector.aborted == "timeout":
        return (Verdict.TIMEOUT, f"Time limit exceeded: the tests must finish within "
                f"{challenge.timeout_s} s.", "timeout")
    if outcome.oom_killed or done.get("memory"):
        return (Verdict.MEMORY, f"Memory limit exceeded: your app may use at most "
                f"{challenge.memory_mb} MB.", "error")
    if not collector.done:
        return (Verdict.ERROR, "The run ended before the tests finished (the grading process "
                "was stopped or crashed).", "error")
    if done.get("load_error"):
        return Verdict.ERROR, str(done["load_error"])[:4000], "error"
    if collector.plan and all(t.status == "passed" for t in collector.tests("error", "")):
        return Verdict.PASSED, "", "error"
    if not collector.plan:
        return Verdict.INTERNAL_ERROR, "The challenge has no hidden tests.", "error"
    return Verdict.FAILED, "", "error"


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def run_job(challenge: Challenge, job: Job, backend: Backend, on_test: OnTest | None) -> GradeResult:
    started_at, t0 = iso_now(), time.monotonic()
    collector = Collector(job.nonce, on_test, challenge.points)
    outcome = backend.run(job, collector.feed)
    verdict, message, missing = decide(collector, outcome, challenge)
    if collector.done is None or verdict is Verdict.INTERNAL_ERROR:
        log.warning("sandbox run for %s ended with %s (exit %s); harness said: %s", challenge.slug,
                    verdict, outcome.exit_code, outcome.diagnostics[-2000:])
    tests = collector.tests(missing, "Not run: the suite stopped before this test.")
    score = sum(t.points for t in tests) if verdict is not Verdict.INTERNAL_ERROR else 0
    return GradeResult(status=verdict, score=score, max_score=challenge.points, tests=tests,
                       message=message, started_at=started_at, finished_at=iso_now(),
                       timings_ms={"run": int((time.monotonic() - t0) * 1000)})


_backends: dict[str, Backend] = {}
_backends_lock = threading.Lock()


def get_backend(name: str) -> Backend:
    with _backends_lock:
        if name not in _backends:
            if name == "docker":
                from .docker_engine import DockerBackend

                warm = os.environ.get("GRADER_WARM_SANDBOXES") or os.environ.get("GRADER_WORKERS")
                _backends[name] = DockerBackend(
                    image=os.environ.get("GRADER_RUNNER_IMAGE", "flask-grader-runner:latest"),
                    warm=int(warm) if warm and warm.isdigit() else 1)
            elif name == "local":
                from .local import LocalBackend

                _backends[name] = LocalBackend()
            else:
                raise ValueError(f"unknown runner backend {name!r} (docker or local)")
        return _backends[name]


def shutdown() -> None:
    """Close every backend this process made (warm sandboxes are removed); for clean exits."""
    with _backends_lock:
        engines = list(_backends.values())
        _backends.clear()
    for engine in engines:
        close = getattr(engine, "close", None)
        if close is not None:
            close()


def grade(challenge: Challenge, files: Mapping[str, bytes], on_test: OnTest | None = None, *,
          backend: str = "docker") -> GradeResult:
    """Grade a learner's files against a challenge's hidden tests (see the package docstring)."""
    try:
        checked = validate_files(challenge, files)
    except Rejected as exc:
        now = iso_now()
        return GradeResult(status=Verdict.REJECTED, score=0, max_score=challenge.points,
                           message=str(exc), started_at=now, finished_at=now)
    return _grade_files(challenge, checked, on_test, backend)


def grade_folder(challenge: Challenge, folder: os.PathLike | str, on_test: OnTest | None = None, *,
                 backend: str = "docker") -> GradeResult:
    """Grade a folder of files as a submission (solutions, mutants, starters), unfiltered."""
    return _grade_files(challenge, read_folder(Path(folder)), on_test, backend)


def _grade_files(challenge: Challenge, files: Mapping[str, bytes], on_test: OnTest | None,
                 backend: str) -> GradeResult:
    """Files the starter completes, run on a backend; grader faults become internal_error."""
    engine = get_backend(backend)
    job = make_job(challenge, with_starter(challenge, files))
    try:
        return run_job(challenge, job, engine, on_test)
    except EngineUnavailable:
        raise
    except RunnerError as exc:
        now = iso_now()
        return GradeResult(status=Verdict.INTERNAL_ERROR, score=0, max_score=challenge.points,
                           message=f"The grader failed: {exc}", started_at=now, finished_at=now)


def engine_status() -> tuple[bool, str]:
    """Is the Docker engine reachable and the runner image present? (ok, message)"""
    from .docker_engine import probe

    return probe(os.environ.get("GRADER_RUNNER_IMAGE", "flask-grader-runner:latest"))
