"""Validating a challenge: the solution must score full points, the starter and every mutant less."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .challenge import Challenge, ChallengeError, load_challenge
from .grading import grade_folder
from .model import GradeResult, Verdict


@dataclass
class CheckRow:
    """One graded folder of the challenge and whether it scored as it must."""

    name: str
    kind: str  # solution | starter | mutant
    expected: str  # "full" | "less"
    result: GradeResult

    @property
    def ok(self) -> bool:
        if self.result.status in (Verdict.INTERNAL_ERROR, Verdict.REJECTED):
            return False
        full = self.result.status is Verdict.PASSED and self.result.score == self.result.max_score
        return full if self.expected == "full" else not full

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "expected": self.expected, "ok": self.ok,
                "result": self.result.to_dict()}


@dataclass
class CheckReport:
    """The outcome of `grader challenge check`."""

    slug: str
    rows: list[CheckRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows) and all(r.ok for r in self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "ok": self.ok, "problems": list(self.problems),
                "rows": [r.to_dict() for r in self.rows]}


def folders_to_grade(challenge: Challenge) -> list[tuple[str, str, str, Path]]:
    """(name, kind, expected, folder) for the solution, the starter and each mutant."""
    out = [("solution", "solution", "full", challenge.solution_dir),
           ("starter", "starter", "less", challenge.starter_dir)]
    out += [(f"mutants/{m.name}", "mutant", "less", m) for m in challenge.mutant_dirs()]
    return out


def check_challenge(target: str | Path | Challenge, backend: str = "docker",
                    jobs: int = 2, on_row: Callable[[CheckRow], None] | None = None
                    ) -> CheckReport:
    """Grade every folder of a challenge and report whether each scored as it must.

    `on_row` hears each folder's row as soon as it is graded (for progress shown live).
    """
    try:
        challenge = target if isinstance(target, Challenge) else load_challenge(target)
    except ChallengeError as exc:
        return CheckReport(slug=Path(str(target)).name, problems=[str(exc)])
    report = CheckReport(slug=challenge.slug)
    folders = folders_to_grade(challenge)
    for name, _kind, _expected, folder in folders:
        if not folder.is_dir():
            report.problems.append(f"{name}/ is missing")
    if not challenge.statement_path.is_file():
        report.problems.append("statement.md is missing")
    if not challenge.mutant_dirs():
        report.problems.append("mutants/ holds no wrong solution")
    folders = [f for f in folders if f[3].is_dir()]

    def timed_out(row: CheckRow) -> bool:
        return row.kind == "solution" and row.result.status is Verdict.TIMEOUT

    def grade_one(entry: tuple[str, str, str, Path]) -> CheckRow:
        name, kind, expected, folder = entry
        row = CheckRow(name, kind, expected, grade_folder(challenge, folder, backend=backend))
        if on_row is not None and not timed_out(row):
            on_row(row)
        return row

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        rows = list(pool.map(grade_one, folders))
    # A reference solution out of time almost always means a machine busy with other work:
    # grade it once more, alone, before calling the challenge invalid.
    for index, row in enumerate(rows):
        if timed_out(row):
            rows[index] = CheckRow(row.name, row.kind, row.expected,
                                   grade_folder(challenge, folders[index][3], backend=backend))
            if on_row is not None:
                on_row(rows[index])
    report.rows = rows
    return report


def format_table(report: CheckReport) -> str:
    """A readable table of verdicts and scores, then the overall answer."""
    lines = [f"Challenge {report.slug}"]
    width = max([len(r.name) for r in report.rows] + [8])
    lines.append(f"  {'folder'.ljust(width)}  {'verdict':<14} {'score':>9}  must   ok")
    for row in report.rows:
        score = f"{row.result.score}/{row.result.max_score}"
        must = "full" if row.expected == "full" else "less"
        mark = "yes" if row.ok else "NO"
        lines.append(f"  {row.name.ljust(width)}  {str(row.result.status):<14} {score:>9}  "
                     f"{must:<5}  {mark}")
        if not row.ok:
            if row.result.message:
                lines.append(f"      {row.result.message.splitlines()[0][:150]}")
            for test in row.result.tests:
                if test.status != "passed" and row.expected == "full":
                    lines.append(f"      - {test.title}: {test.status} {test.message[:120]}")
    for problem in report.problems:
        lines.append(f"  problem: {problem}")
    lines.append("OK: the solution scores full points and everything else less."
                 if report.ok else "NOT OK: this challenge is not valid yet.")
    return "\n".join(lines)
