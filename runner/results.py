"""Reading the harness's records from a sandbox and deciding the verdict from them."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .challenge import Challenge
from .job import SandboxExit
from .model import TestResult, Verdict

log = logging.getLogger(__name__)

MAX_LINE = 64 * 1024
MAX_RECORDS_BYTES = 4 * 1024 * 1024
MAX_TESTS = 500
TEST_STATUSES = {"passed", "failed", "error", "timeout", "memory"}

OnTest = Callable[[TestResult], None]


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

    def feed(self, line: bytes) -> bool:
        """Take one line of the sandbox's output; True once the completion record is in."""
        self.received += len(line)
        if self.received > MAX_RECORDS_BYTES or len(line) > MAX_LINE:
            self.rejected_lines += 1
            return self.done is not None
        prefix, _, payload = line.strip().partition(b" ")
        if not secrets.compare_digest(prefix, self.nonce):
            self.rejected_lines += 1
            return self.done is not None
        try:
            record = json.loads(payload)
            self._accept(record)
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            log.warning("ignoring a malformed harness record: %s", exc)
            self.rejected_lines += 1
        return self.done is not None

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
                except Exception:  # a listener's bug must not lose the grading
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


@dataclass
class Decision:
    """The verdict of a run, its message (learner's and teachers'), and the status of tests
    that never reported."""

    verdict: Verdict
    message: str = ""
    detail: str = ""
    missing: str = "error"


def decide(collector: Collector, ended: SandboxExit, challenge: Challenge) -> Decision:
    """The verdict: from the tests when the harness finished, from the run's end otherwise.

    A test may probe the limits on purpose (a child that must be killed for memory), so once
    the completion record has arrived, out-of-memory kills and time-outs count only through
    the test they happened in; run-level `memory`/`timeout`/`error` are for runs that did not
    complete.
    """
    done = collector.done
    if ended.error:
        return Decision(Verdict.INTERNAL_ERROR, f"The grader failed: {ended.error}")
    if done is not None and done.get("collect_errors"):
        return Decision(Verdict.INTERNAL_ERROR, "The challenge's hidden tests could not be "
                        "loaded; this is the challenge's fault, not yours.")
    timeout = Decision(Verdict.TIMEOUT, f"Time limit exceeded: the tests must finish within "
                       f"{challenge.timeout_s} s.", missing="timeout")
    memory = Decision(Verdict.MEMORY, f"Memory limit exceeded: your app may use at most "
                      f"{challenge.memory_mb} MB.")
    if done is None:
        if ended.timed_out or collector.aborted == "timeout":
            return timeout
        if ended.oom_killed or collector.aborted == "memory":
            return memory
        if ended.exit_code is None:
            return Decision(Verdict.INTERNAL_ERROR, "The grader could not learn how the sandbox "
                            "ended; the grading will be retried.")
        return Decision(Verdict.ERROR, "The run ended before the tests finished (the grading "
                        "process was stopped or crashed).")
    if done.get("load_error"):
        load = {"memory": Verdict.MEMORY, "timeout": Verdict.TIMEOUT}
        message = str(done["load_error"])[:4000]
        return Decision(load.get(str(done.get("load_status")), Verdict.ERROR), message,
                        str(done.get("load_detail") or message)[:8000])
    if not collector.plan:
        return Decision(Verdict.INTERNAL_ERROR, "The challenge has no hidden tests.")
    if len(collector.results) < len(collector.plan):
        # the harness finished without a record for some test: its own fault (pytest's
        # INTERNALERROR), never the learner's, so the grading is tried again
        return Decision(Verdict.INTERNAL_ERROR, "The grader stopped before every test had "
                        "run; the grading will be retried.")
    statuses = {t.status for t in collector.tests("error", "")}
    if statuses == {"passed"}:
        return Decision(Verdict.PASSED)
    if "timeout" in statuses:
        return timeout
    if "memory" in statuses:
        return memory
    return Decision(Verdict.FAILED)
