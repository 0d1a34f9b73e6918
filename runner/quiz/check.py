"""Checking a quiz: it parses, predict answers are computed, fill references pass and blanks do not."""

from __future__ import annotations

from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..challenge import Challenge, load_concepts
from ..model import GradeResult, Verdict
from ..settings import RunnerSettings
from .model import (
    ChoiceQuestion,
    FillQuestion,
    OrderQuestion,
    PredictQuestion,
    Question,
    Quiz,
    QuizError,
    load_quiz,
)
from .sandbox import run_fill, run_predictions


def _passed(result: GradeResult) -> bool:
    return result.status is Verdict.PASSED and result.score == result.max_score


def _count(result: GradeResult) -> str:
    passed = sum(t.status == "passed" for t in result.tests)
    return f"{passed}/{len(result.tests)}"


@dataclass
class FillCheck:
    """A fill question graded twice: its reference answers (must pass) and empty blanks (must not)."""

    id: str
    reference: GradeResult
    empty: GradeResult

    @property
    def problems(self) -> list[str]:
        out = []
        for name, result in (("reference answers", self.reference), ("empty blanks", self.empty)):
            if result.status is Verdict.INTERNAL_ERROR:
                out.append(f"question {self.id!r}: the {name} could not be graded: "
                           f"{result.message}")
        if not out and not _passed(self.reference):
            failing = [f"{t.title}: {t.message}" for t in self.reference.tests
                       if t.status != "passed"]
            detail = (failing or [self.reference.message or "no test passed"])[0]
            out.append(f"question {self.id!r}: the reference answers do not pass the tests "
                       f"({self.reference.status}: {' '.join(detail.split())[:300]})")
        if not out and _passed(self.empty):
            out.append(f"question {self.id!r}: the snippet passes its tests with every blank "
                       "empty, so it tests nothing")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ok": not self.problems, "reference": self.reference.to_dict(),
                "empty": self.empty.to_dict()}


@dataclass
class QuizCheck:
    """The quiz section of a challenge's check report."""

    quiz: Quiz | None
    problems: list[str] = field(default_factory=list)
    expected: dict[str, dict[str, Any]] = field(default_factory=dict)  # computed predict answers
    fills: list[FillCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.quiz is not None and not self.problems

    def to_dict(self) -> dict[str, Any]:
        quiz = self.quiz
        return {"ok": self.ok, "questions": len(quiz.questions) if quiz else 0,
                "points": quiz.points if quiz else 0, "problems": list(self.problems),
                "expected": dict(self.expected), "fill": [f.to_dict() for f in self.fills]}


def reference_files(question: FillQuestion) -> dict[str, bytes]:
    return question.app_files({b.name: b.answer for b in question.blanks})


def check_quiz(challenge: Challenge, backend: str | None = None, jobs: int = 2,
               pool: Executor | None = None,
               settings: RunnerSettings | None = None) -> QuizCheck | None:
    """Validate `challenge`'s quiz.toml and run its predict and fill questions in the sandbox.

    None when the folder has no quiz. Sandbox runs go to `pool` when given (so a challenge's
    check can share its workers), else to a pool of `jobs`. A run out of time almost always
    means a machine busy with other work, so it is run once more before it counts.
    """
    known = load_concepts(challenge.path.parent) or None
    try:
        quiz = load_quiz(challenge.path, known)
    except QuizError as exc:
        return QuizCheck(quiz=None, problems=[str(exc)])
    if quiz is None:
        return None
    own = pool or ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        predicts = quiz.of_kind(PredictQuestion)
        predicted: Future = own.submit(run_predictions, predicts, challenge, backend, settings)
        fills: list[tuple[FillQuestion, Future, Future]] = []
        for q in quiz.of_kind(FillQuestion):
            fills.append((q, own.submit(run_fill, q, reference_files(q), challenge, backend,
                                        settings),
                          own.submit(run_fill, q, q.app_files({}), challenge, backend, settings)))
        run = predicted.result()
        if run.verdict is Verdict.TIMEOUT:
            run = run_predictions(predicts, challenge, backend, settings)
        report = QuizCheck(quiz=quiz, expected={q.id: run.answers[q.id] for q in predicts
                                                if q.id in run.answers})
        report.problems += [f"question {qid!r}: {text}" for qid, text in run.problems.items()]
        for q, reference, empty in fills:
            ref = reference.result()
            if ref.status is Verdict.TIMEOUT:
                ref = run_fill(q, reference_files(q), challenge, backend, settings)
            check = FillCheck(q.id, ref, empty.result())
            report.fills.append(check)
            report.problems += check.problems
    finally:
        if pool is None:
            own.shutdown()
    return report


def _summary(question: Question, report: QuizCheck) -> str:
    if isinstance(question, ChoiceQuestion):
        return f"{len(question.right)} of {len(question.choices)} choices right"
    if isinstance(question, OrderQuestion):
        count = len(question.distractors)
        return f"{len(question.lines)} lines, {count} distractor{'' if count == 1 else 's'}"
    if isinstance(question, PredictQuestion):
        answer = report.expected.get(question.id)
        if answer is None:
            return "no answer computed"
        parts = []
        for part in question.ask:
            value = answer[part]
            shown = repr(" ".join(value.split())) if isinstance(value, str) else str(value)
            parts.append(f"{part}={shown if len(shown) <= 60 else shown[:57] + '...'}")
        return " ".join(parts)
    fill = next((f for f in report.fills if f.id == question.id), None)
    if fill is None:
        return "not graded"
    return f"reference {_count(fill.reference)} passed, blanks empty {_count(fill.empty)}"


def format_quiz(report: QuizCheck) -> list[str]:
    """The quiz section of the check's table: one line per question, then the problems."""
    quiz = report.quiz
    if quiz is None:
        return ["Quiz (quiz.toml)", *(f"  problem: {p}" for p in report.problems)]
    count = len(quiz.questions)
    lines = [(f"Quiz ({count} question{'' if count == 1 else 's'}, "
             f"{quiz.points} point{'' if quiz.points == 1 else 's'})")]
    width = max(len(q.id) for q in quiz.questions)
    for q in quiz.questions:
        lines.append(f"  {q.id.ljust(width)}  {q.kind:<8} {_summary(q, report)}")
    lines += [f"  problem: {p}" for p in report.problems]
    return lines
