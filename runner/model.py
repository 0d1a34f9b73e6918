"""The runner's vocabulary: plain dataclasses in, plain dataclasses out."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

from .harness.wire import is_plain


class Verdict(str, enum.Enum):
    """The overall outcome of grading one submission."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    REJECTED = "rejected"
    INTERNAL_ERROR = "internal_error"

    def __str__(self) -> str:
        return self.value


@dataclass
class TestResult:
    """One hidden test's outcome, as streamed while the suite runs.

    `message` is what the learner may see (in `hints` mode it carries no learner-produced text
    and no hidden input); `detail` is the full text, for teachers only. `to_dict()` leaves
    `detail` out unless asked, so a record sent to a learner cannot carry it by accident.
    """

    __test__ = False  # not a pytest test class

    id: str
    title: str
    status: str  # passed | failed | error | timeout | memory
    points: int
    max_points: int
    message: str = ""
    duration_ms: int = 0
    detail: str = ""
    # values the trusted test passed out with `record_property` (plain JSON); never shown to
    # learners, so not part of `to_dict()`
    data: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        record = asdict(self)
        del record["data"]
        if not detail:
            del record["detail"]
        return record

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestResult:
        return cls(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            status=str(data["status"]),
            points=int(data.get("points", 0)),
            max_points=int(data.get("max_points", 0)),
            message=str(data.get("message", "")),
            duration_ms=int(data.get("duration_ms", 0)),
            detail=str(data.get("detail", "")),
            data=_plain_dict(data.get("data")),
        )


def _plain_dict(value: Any) -> dict[str, Any]:
    """A `data` field as the host keeps it: a dict of plain JSON values, or nothing."""
    if type(value) is not dict or not is_plain(value):
        return {}
    return value


@dataclass
class GradeResult:
    """The runner's answer for one submission (the result record without server fields)."""

    status: Verdict
    score: int
    max_score: int
    tests: list[TestResult] = field(default_factory=list)
    message: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    timings_ms: dict[str, int] = field(default_factory=dict)
    detail: str = ""  # the full text behind `message`, for teachers only

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """The record; `detail=True` adds the teachers' full texts (run and per test)."""
        data = {
            "status": str(self.status),
            "score": self.score,
            "max_score": self.max_score,
            "tests": [t.to_dict(detail) for t in self.tests],
            "message": self.message,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "timings_ms": dict(self.timings_ms),
        }
        if detail:
            data["detail"] = self.detail
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GradeResult:
        return cls(
            status=Verdict(data["status"]),
            score=int(data["score"]),
            max_score=int(data["max_score"]),
            tests=[TestResult.from_dict(t) for t in data.get("tests", [])],
            message=str(data.get("message", "")),
            started_at=data.get("started_at"),
            finished_at=data.get("finished_at"),
            timings_ms={k: int(v) for k, v in (data.get("timings_ms") or {}).items()},
            detail=str(data.get("detail", "")),
        )


class RunnerError(Exception):
    """A fault of the grading machinery (not of the learner): maps to internal_error."""


class EngineUnavailable(RunnerError):
    """The Docker engine cannot be reached."""


class Rejected(Exception):
    """A submission that cannot be graded as sent (bad files, bad archive, too large)."""
