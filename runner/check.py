"""Validating a challenge: the solution must score full points, the starter and every mutant less.

A folder with a quiz.toml is also checked as a quiz (see `runner.quiz.check`); a quiz-only
folder (no hidden tests) is checked as a quiz only.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .challenge import Challenge, ChallengeError, load_challenge
from .grading import grade_folder
from .model import GradeResult, Verdict
from .quiz.check import QuizCheck, check_quiz, format_quiz
from .settings import RunnerSettings


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
        # a check report is the author's: it carries the full texts (`detail`)
        return {"name": self.name, "kind": self.kind, "expected": self.expected, "ok": self.ok,
                "result": self.result.to_dict(detail=True)}


@dataclass
class CheckReport:
    """The outcome of `grader challenge check`."""

    slug: str
    rows: list[CheckRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    quiz: QuizCheck | None = None  # None: the folder has no quiz.toml
    quiz_only: bool = False

    @property
    def ok(self) -> bool:
        graded = self.quiz_only or (bool(self.rows) and all(r.ok for r in self.rows))
        return not self.problems and graded and (self.quiz is None or self.quiz.ok)

    def to_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "ok": self.ok, "problems": list(self.problems),
                "rows": [r.to_dict() for r in self.rows], "quiz_only": self.quiz_only,
                "quiz": self.quiz.to_dict() if self.quiz is not None else None}


def folders_to_grade(challenge: Challenge) -> list[tuple[str, str, str, Path]]:
    """(name, kind, expected, folder) for the solution, the starter and each mutant."""
    out = [("solution", "solution", "full", challenge.solution_dir),
           ("starter", "starter", "less", challenge.starter_dir)]
    out += [(f"mutants/{m.name}", "mutant", "less", m) for m in challenge.mutant_dirs()]
    return out


def check_challenge(target: str | Path | Challenge, backend: str = "docker",
                    jobs: int = 2, settings: RunnerSettings | None = None,
                    on_row: Callable[[CheckRow], None] | None = None) -> CheckReport:
    """Grade every folder of a challenge and report whether each scored as it must.

    `on_row` hears each folder's row as soon as it is graded (for progress shown live).
    """
    try:
        challenge = target if isinstance(target, Challenge) else load_challenge(target)
    except ChallengeError as exc:
        return CheckReport(slug=Path(str(target)).name, problems=[str(exc)])
    report = CheckReport(slug=challenge.slug, quiz_only=challenge.quiz_only)
    folders = [] if challenge.quiz_only else folders_to_grade(challenge)
    for name, _kind, _expected, folder in folders:
        if not folder.is_dir():
            report.problems.append(f"{name}/ is missing")
    if not challenge.statement_path.is_file():
        report.problems.append("statement.md is missing")
    if not challenge.quiz_only and not challenge.mutant_dirs():
        report.problems.append("mutants/ holds no wrong solution")
    folders = [f for f in folders if f[3].is_dir()]

    def timed_out(row: CheckRow) -> bool:
        return row.kind == "solution" and row.result.status is Verdict.TIMEOUT

    def grade_one(entry: tuple[str, str, str, Path]) -> CheckRow:
        name, kind, expected, folder = entry
        row = CheckRow(name, kind, expected,
                       grade_folder(challenge, folder, backend=backend, settings=settings))
        if on_row is not None and not timed_out(row):
            on_row(row)
        return row

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        graded = [pool.submit(grade_one, folder) for folder in folders]
        report.quiz = check_quiz(challenge, backend=backend, pool=pool, settings=settings)
        rows = [future.result() for future in graded]
    # A reference solution out of time almost always means a machine busy with other work:
    # grade it once more, alone, before calling the challenge invalid.
    for index, row in enumerate(rows):
        if timed_out(row):
            rows[index] = CheckRow(row.name, row.kind, row.expected,
                                   grade_folder(challenge, folders[index][3], backend=backend,
                                                settings=settings))
            if on_row is not None:
                on_row(rows[index])
    report.rows = rows
    return report


def format_table(report: CheckReport) -> str:
    """A readable table of verdicts and scores, the quiz's questions, then the overall answer."""
    lines = [f"Challenge {report.slug}" + (" (quiz only)" if report.quiz_only else "")]
    width = max([len(r.name) for r in report.rows] + [8])
    if report.rows:
        lines.append(f"  {'folder'.ljust(width)}  {'verdict':<14} {'score':>9}  must   ok")
    for row in report.rows:
        score = f"{row.result.score}/{row.result.max_score}"
        must = "full" if row.expected == "full" else "less"
        mark = "yes" if row.ok else "NO"
        lines.append(f"  {row.name.ljust(width)}  {row.result.status!s:<14} {score:>9}  "
                     f"{must:<5}  {mark}")
        if not row.ok:
            message = row.result.detail or row.result.message
            if message:
                lines.append(f"      {message.splitlines()[0][:150]}")
            for test in row.result.tests:
                if test.status != "passed" and row.expected == "full":
                    text = (test.detail or test.message).splitlines()
                    lines.append(f"      - {test.title}: {test.status} {(text or [''])[0][:120]}")
    for problem in report.problems:
        lines.append(f"  problem: {problem}")
    if report.quiz is not None:
        lines += format_quiz(report.quiz)
    if not report.ok:
        lines.append("NOT OK: this challenge is not valid yet.")
    elif report.quiz_only:
        lines.append("OK: the quiz is valid.")
    else:
        lines.append("OK: the solution scores full points and everything else less"
                     + ("; the quiz is valid." if report.quiz is not None else "."))
    return "\n".join(lines)
