"""The one list of submission statuses: which ones wait, which are final, which count.

The final statuses are the runner's verdicts. Models, services, the API (and through it the
command-line tool) and the pages (through a JSON block in every page) all read this module.
"""

from __future__ import annotations

from typing import Any

from runner import Verdict

QUEUED = "queued"
RUNNING = "running"
PENDING = (QUEUED, RUNNING)
FINAL = tuple(verdict.value for verdict in Verdict)
# Grader faults and refused uploads say nothing about the learner's code: they never count.
NOT_COUNTED = (Verdict.REJECTED.value, Verdict.INTERNAL_ERROR.value)
COUNTED = tuple(status for status in FINAL if status not in NOT_COUNTED)
# What a learner is shown instead of the verdict while a course hides the feedback until the
# due time (`feedback_before_due = "none"`). Never stored: the row keeps its real verdict.
GRADED = "graded"
ALL = PENDING + FINAL + (GRADED,)

LABELS = {
    QUEUED: "Queued",
    RUNNING: "Running",
    Verdict.PASSED.value: "Passed",
    Verdict.FAILED.value: "Failed",
    Verdict.ERROR.value: "Error",
    Verdict.TIMEOUT.value: "Timed out",
    Verdict.MEMORY.value: "Memory limit",
    Verdict.REJECTED.value: "Rejected",
    Verdict.INTERNAL_ERROR.value: "Grader fault",
    GRADED: "Graded",
}


def label(status: str | None) -> str:
    """The human name of a submission or test status."""
    status = str(status or "")
    return LABELS.get(status, status.replace("_", " ").capitalize())


def is_final(status: str | None) -> bool:
    """Has grading finished (whatever the verdict, shown or hidden)?"""
    return status in FINAL or status == GRADED


def vocabulary() -> list[dict[str, Any]]:
    """Every status with its label and whether it is final and counted (API and pages)."""
    return [{"name": status, "label": LABELS[status], "final": is_final(status),
             "counted": status in COUNTED or status == GRADED} for status in ALL]
