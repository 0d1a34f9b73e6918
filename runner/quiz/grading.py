"""Grading a learner's quiz answers: every kind, partial credit, and answers of the wrong shape."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from ..model import GradeResult, RunnerError, Verdict
from .model import (
    MAX_LINE,
    PREDICT_PARTS,
    ChoiceQuestion,
    FillQuestion,
    OrderQuestion,
    PredictQuestion,
    Question,
    Quiz,
    QuizError,
)

TEST_HOST = "http://localhost/"
CORRECT, PARTIAL, WRONG, UNANSWERED, INVALID = "correct", "partial", "wrong", "unanswered", "invalid"

# grades a completed fill snippet (its files) in the sandbox
RunFill = Callable[[FillQuestion, dict[str, bytes]], GradeResult]


class AnswerError(ValueError):
    """An answer of the wrong shape: its message is written for the learner."""


@dataclass
class QuestionResult:
    """One question's grade and the feedback the learner is shown."""

    id: str
    kind: str
    status: str  # correct | partial | wrong | unanswered | invalid
    points: int
    max_points: int
    message: str = ""
    explanation: str = ""
    details: dict[str, Any] = field(default_factory=dict)  # kind-specific feedback

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "status": self.status, "points": self.points,
                "max_points": self.max_points, "message": self.message,
                "explanation": self.explanation, **self.details}


@dataclass
class QuizResult:
    """A graded set of answers: the score and every question's result, in the quiz's order."""

    score: int
    max_score: int
    questions: list[QuestionResult]
    ignored: list[str] = field(default_factory=list)  # answered ids that are not questions

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "max_score": self.max_score,
                "questions": [q.to_dict() for q in self.questions], "ignored": list(self.ignored)}


def _result(question: Question, points: int, **kw: Any) -> QuestionResult:
    status = CORRECT if points == question.points else PARTIAL if points > 0 else WRONG
    return QuestionResult(question.id, question.kind, kw.pop("status", status), points,
                          question.points, explanation=question.explanation, **kw)


def _blank(answer: Any) -> bool:
    return answer is None or answer == [] or answer == {} or answer == ""


# -- choice ----------------------------------------------------------------------------------

def grade_choice(question: ChoiceQuestion, answer: Any) -> QuestionResult:
    """Single: the right choice or nothing. Multiple: right minus wrong, over the right ones."""
    if not isinstance(answer, list) or not all(type(a) is int for a in answer):
        raise AnswerError("The answer must be a list of choice ids (numbers).")
    if len(set(answer)) != len(answer):
        raise AnswerError("A choice may be chosen only once.")
    known = {c.id: c for c in question.choices}
    if any(a not in known for a in answer):
        raise AnswerError(f"Choice ids are 0..{len(known) - 1}.")
    if not question.multiple and len(answer) != 1:
        raise AnswerError("Choose exactly one answer.")
    right = sum(known[a].correct for a in answer)
    wrong = len(answer) - right
    if set(answer) == question.right:
        points = question.points
    else:
        points = question.points * max(0, right - wrong) // len(question.right)
    chosen = [{"id": a, "correct": known[a].correct, "feedback": known[a].feedback}
              for a in sorted(answer)]
    return _result(question, points, details={"choices": chosen})


# -- order -----------------------------------------------------------------------------------

def longest_run(answer: list[str], solution: list[str]) -> int:
    """The longest stretch of consecutive answer lines that is also consecutive in the solution."""
    best = 0
    previous = [0] * (len(solution) + 1)
    for line in answer:  # longest common substring, one row of the table at a time
        current = [0] * (len(solution) + 1)
        for j, expected in enumerate(solution, start=1):
            if line == expected:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def grade_order(question: OrderQuestion, answer: Any) -> QuestionResult:
    """Full points for the exact lines; else `points * min(L, n - 1) / n` for the longest run L."""
    if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
        raise AnswerError("The answer must be a list of lines (text).")
    if any("\n" in a or "\r" in a or len(a) > MAX_LINE for a in answer):
        raise AnswerError(f"Each line must be one line of at most {MAX_LINE} characters.")
    lines = [a.expandtabs(4).rstrip() for a in answer]
    unused = Counter(question.pool)
    for line in lines:
        if unused[line.strip()] == 0:
            raise AnswerError(f"{line.strip()!r} is not one of the given lines (or is used more "
                              "often than it is given).")
        unused[line.strip()] -= 1
    solution = list(question.lines)
    n = len(solution)
    run = longest_run(lines, solution)
    points = question.points if lines == solution else question.points * min(run, n - 1) // n
    return _result(question, points, details={"longest_run": run, "lines": n})


# -- predict ---------------------------------------------------------------------------------

def is_json_mimetype(mimetype: str | None) -> bool:
    mt = (mimetype or "").lower()
    return mt == "application/json" or (mt.startswith("application/") and mt.endswith("+json"))


def json_equal(a: Any, b: Any) -> bool:
    """Equal as JSON values: `true` is not `1`, `1` is `1.0`, key order does not matter."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def part_correct(part: str, given: Any, expected: dict[str, Any]) -> bool:
    """Is one answered part of a predict question right? (`given` has been shape-checked.)"""
    want = expected.get(part)
    if part == "status":
        return given == want
    if part == "mimetype":
        return given.split(";", 1)[0].strip().lower() == (want or "").lower()
    if part == "location":
        # the test client's host is http://localhost: "/next" and "http://localhost/next" are
        # the same place, and which one Flask writes is not what the question is about
        return urljoin(TEST_HOST, given.strip()) == urljoin(TEST_HOST, want or "")
    if is_json_mimetype(expected.get("mimetype")):
        try:
            return json_equal(json.loads(given), json.loads(want))
        except ValueError:
            return False
    return _text(given) == _text(want or "")


def grade_predict(question: PredictQuestion, answer: Any,
                  expected: Mapping[str, Any]) -> QuestionResult:
    """Each asked part is worth an equal share; the app's real answer is shown for each part."""
    if not isinstance(answer, dict):
        raise AnswerError(f"The answer must be an object with {', '.join(question.ask)}.")
    unknown = sorted(set(answer) - set(question.ask))
    if unknown:
        raise AnswerError(f"{unknown[0]!r} is not asked; this question asks for "
                          f"{', '.join(question.ask)}.")
    for part, given in answer.items():
        if part == "status" and type(given) is not int:
            raise AnswerError("status must be a whole number, such as 200.")
        if part != "status" and not isinstance(given, str):
            raise AnswerError(f"{part} must be text.")
    parts = {}
    for part in question.ask:
        given = answer.get(part)
        ok = given is not None and part_correct(part, given, expected)
        parts[part] = {"given": given, "expected": expected.get(part), "correct": ok}
    right = sum(p["correct"] for p in parts.values())
    points = question.points if right == len(parts) else question.points * right // len(parts)
    return _result(question, points, details={"parts": parts})


def check_expected(question: PredictQuestion, expected: Any) -> dict[str, Any]:
    """The stored answer of a predict question, as `grader challenge check` computed it."""
    if not isinstance(expected, dict) or any(p not in expected for p in PREDICT_PARTS):
        raise QuizError(f"question {question.id!r} has no computed answer: check the challenge "
                        "(grader challenge check) and store what it reports")
    return expected


# -- fill ------------------------------------------------------------------------------------

def fill_values(question: FillQuestion, answer: Any) -> dict[str, str]:
    """The learner's blanks, checked: known names, one line each, at most MAX_LINE characters."""
    names = [b.name for b in question.blanks]
    if not isinstance(answer, dict):
        raise AnswerError(f"The answer must be an object with the blanks {', '.join(names)}.")
    unknown = sorted(set(answer) - set(names))
    if unknown:
        raise AnswerError(f"{unknown[0]!r} is not a blank of this snippet ({', '.join(names)}).")
    values = {}
    for name in names:
        value = answer.get(name, "")
        if not isinstance(value, str):
            raise AnswerError(f"The blank {name!r} must be text.")
        if len(value.splitlines()) > 1 or "\n" in value or "\r" in value or "\x00" in value:
            raise AnswerError(f"The blank {name!r} must be a single line.")
        if len(value) > MAX_LINE:
            raise AnswerError(f"The blank {name!r} is {len(value)} characters; at most "
                              f"{MAX_LINE} are accepted.")
        values[name] = value
    return values


def fill_result(question: FillQuestion, graded: GradeResult) -> QuestionResult:
    """A fill question's grade from its sandbox run; a grader fault is raised, not scored."""
    if graded.status is Verdict.INTERNAL_ERROR:
        raise RunnerError(f"question {question.id!r} could not be graded: {graded.message}")
    points = graded.score if graded.status is Verdict.PASSED else min(graded.score,
                                                                      question.points - 1)
    tests = [{"title": t.title, "status": t.status, "message": t.message} for t in graded.tests]
    return _result(question, max(points, 0), message=graded.message, details={"tests": tests})


# -- a whole quiz ----------------------------------------------------------------------------

def grade_answers(quiz: Quiz, answers: Any, expected: Mapping[str, Any], *,
                  run_fill: RunFill, jobs: int = 2) -> QuizResult:
    """Grade every question; `expected` holds the computed predict answers by question id.

    Bad answers are `invalid` results, never exceptions. Fill questions run in the sandbox
    through `run_fill`, up to `jobs` at a time. Raises `QuizError` when a predict question has
    no stored answer and `RunnerError` when the sandbox fails (grader faults, to retry later).
    """
    if not isinstance(answers, dict):
        results = [QuestionResult(q.id, q.kind, INVALID, 0, q.points, message="The answers must "
                                  "be an object that maps question ids to answers.")
                   for q in quiz.questions]
        return QuizResult(0, quiz.points, results)
    by_id: dict[str, QuestionResult] = {}
    fills: list[tuple[FillQuestion, dict[str, str]]] = []
    for question in quiz.questions:
        answer = answers.get(question.id)
        if isinstance(question, PredictQuestion):
            known = check_expected(question, expected.get(question.id))
        if _blank(answer) or (isinstance(question, FillQuestion) and isinstance(answer, dict)
                              and all(v == "" for v in answer.values())):
            by_id[question.id] = QuestionResult(question.id, question.kind, UNANSWERED, 0,
                                                question.points, explanation=question.explanation)
            continue
        try:
            if isinstance(question, ChoiceQuestion):
                by_id[question.id] = grade_choice(question, answer)
            elif isinstance(question, OrderQuestion):
                by_id[question.id] = grade_order(question, answer)
            elif isinstance(question, PredictQuestion):
                by_id[question.id] = grade_predict(question, answer, known)
            elif isinstance(question, FillQuestion):
                fills.append((question, fill_values(question, answer)))
        except AnswerError as exc:
            by_id[question.id] = QuestionResult(question.id, question.kind, INVALID, 0,
                                                question.points, message=str(exc))
    if fills:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            graded = list(pool.map(lambda f: run_fill(f[0], f[0].app_files(f[1])), fills))
        for (question, _values), outcome in zip(fills, graded, strict=True):
            by_id[question.id] = fill_result(question, outcome)
    results = [by_id[q.id] for q in quiz.questions]
    ignored = sorted(k for k in answers if quiz.question(str(k)) is None)
    return QuizResult(sum(r.points for r in results), quiz.points, results, ignored)
