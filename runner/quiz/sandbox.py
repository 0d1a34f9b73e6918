"""Running quiz questions in the sandbox: predict answers computed, fill snippets graded.

Both build a temporary challenge folder and grade it with `runner.grade_folder`, so they get
the same isolation, limits and verdicts as any submission.

All predict questions of a quiz share ONE sandbox run. Each hidden test gets a fresh learner
process anyway, so the run's app folder holds every question's app in its own folder, and
test number i asks the learner process (through `learner.eval`) to build question i's app and
make its request; `predict_app.py` says why that answers as a run of its own would. The tests
are not generated from question text: one parametrized test reads the questions' requests
from a JSON file, so nothing an author writes is ever pasted into code.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..challenge import Challenge, load_challenge
from ..grading import grade_folder
from ..model import GradeResult, Verdict
from ..settings import RunnerSettings
from .grading import RunFill, fill_values
from .model import FillQuestion, PredictQuestion, Quiz, QuizError

PREDICT_APP = Path(__file__).with_name("predict_app.py")
MAX_PREDICT_BODY = 2000  # characters: a predict answer is something a learner can type

PREDICT_TESTS = '''\
import pytest

COUNT = {count}


@pytest.mark.parametrize("index", range(COUNT))
def test_predict(index, learner, record_property):
    """The question's app answers its request"""
    record_property("answer", learner.eval(f"__import__('quizpredict').answer({{index}})"))
'''
INDEX_RE = re.compile(r"\[(\d+)\]$")
FRAME_RE = re.compile(r'File "q\d+/([^"]+)", line (\d+)')


def failure_summary(message: str) -> str:
    """One line for the author: what the app raised, and where in the question's own files."""
    first = message.splitlines()[0] if message.strip() else "no answer"
    first = first.replace(" (during an inspection of your app)", "")
    frames = FRAME_RE.findall(message)
    return f"{first} ({frames[-1][0]}, line {frames[-1][1]})" if frames else first


def _manifest(slug: str, parent: Challenge, entry: str, points: int, feedback: str) -> str:
    values = {"slug": slug, "title": f"{parent.title} (quiz)", "points": points, "entry": entry,
              "timeout_s": parent.timeout_s, "memory_mb": parent.memory_mb,
              "feedback": feedback}
    # json.dumps writes strings and numbers in a form TOML reads the same way
    return "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())


def _write(root: Path, files: Mapping[str, bytes]) -> None:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def run_in_sandbox(parent: Challenge, *, slug: str, entry: str, points: int, feedback: str,
                   tests: str, app_files: Mapping[str, bytes], backend: str | None = None,
                   settings: RunnerSettings | None = None) -> GradeResult:
    """Grade `app_files` against one test file, in a challenge folder made for the purpose."""
    with tempfile.TemporaryDirectory(prefix="grader-quiz-") as tmp:
        root = Path(tmp) / slug
        _write(root, {"challenge.toml": _manifest(slug, parent, entry, points, feedback).encode(),
                      "tests/test_quiz.py": tests.encode()})
        _write(root / "app", app_files)
        return grade_folder(load_challenge(root), root / "app", backend=backend,
                            settings=settings)


# -- predict ---------------------------------------------------------------------------------

def predict_files(questions: list[PredictQuestion]) -> dict[str, bytes]:
    """The app folder of a predict run: the entry point, one folder per question, the requests."""
    files = {"quizpredict.py": PREDICT_APP.read_bytes()}
    specs = []
    for index, question in enumerate(questions):
        folder = f"q{index}"
        files[f"{folder}/app.py"] = question.app.encode()
        for path, text in question.files.items():
            files[f"{folder}/{path}"] = text.encode()
        specs.append({"dir": folder, "entry": question.entry, "request": question.request})
    files["predict.json"] = json.dumps(specs).encode()
    return files


def answer_problems(question: PredictQuestion, answer: dict[str, Any]) -> list[str]:
    """What makes a computed answer unfit to ask about."""
    problems = []
    if "body" in question.ask and answer["body_bytes"] > MAX_PREDICT_BODY:
        problems.append(f"the body is {answer['body_bytes']} bytes; keep it under "
                        f"{MAX_PREDICT_BODY} so a learner can predict it")
    for part in ("mimetype", "location"):
        if part in question.ask and answer[part] is None:
            problems.append(f"asks for the {part}, but the response has none")
    return problems


@dataclass
class PredictRun:
    """The answers one predict run computed, and what went wrong for the other questions."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    verdict: Verdict | None = None  # None when there was nothing to run


def run_predictions(questions: list[PredictQuestion], parent: Challenge,
                    backend: str | None = None,
                    settings: RunnerSettings | None = None) -> PredictRun:
    """Every predict question's answer, in one sandbox run, by question id."""
    if not questions:
        return PredictRun()
    result = run_in_sandbox(parent, slug=f"{parent.slug}-predict", entry="quizpredict:app",
                            points=len(questions), feedback="full",
                            tests=PREDICT_TESTS.format(count=len(questions)),
                            app_files=predict_files(questions), backend=backend,
                            settings=settings)
    run = PredictRun(verdict=result.status)
    for test in result.tests:
        match = INDEX_RE.search(test.id)
        if match is None or int(match.group(1)) >= len(questions):
            continue
        question = questions[int(match.group(1))]
        answer = test.data.get("answer")
        if test.status != "passed" or not isinstance(answer, dict):
            run.problems[question.id] = ("the app did not answer: "
                                         + failure_summary(test.message or test.status))
            continue
        wrong = answer_problems(question, answer)
        if wrong:
            run.problems[question.id] = "; ".join(wrong)
            continue
        run.answers[question.id] = {k: answer[k] for k in ("status", "body", "mimetype",
                                                           "location")}
    for question in questions:
        if question.id not in run.answers and question.id not in run.problems:
            run.problems[question.id] = (f"the app did not answer: "
                                         f"{result.message or result.status}")
    return run


def compute_predictions(quiz: Quiz, challenge: Challenge, backend: str | None = None,
                        settings: RunnerSettings | None = None) -> dict[str, dict[str, Any]]:
    """The answer of every predict question of a quiz: {id: {status, body, mimetype, location}}.

    Raises `QuizError` naming the first question whose app did not answer.
    """
    run = run_predictions(quiz.of_kind(PredictQuestion), challenge, backend, settings)
    if run.problems:
        qid, problem = next(iter(run.problems.items()))
        raise QuizError(f"question {qid!r}: {problem}")
    return run.answers


# -- fill ------------------------------------------------------------------------------------

def run_fill(question: FillQuestion, files: Mapping[str, bytes], challenge: Challenge,
             backend: str | None = None, settings: RunnerSettings | None = None) -> GradeResult:
    """Grade a completed snippet (its files) against the question's tests."""
    return run_in_sandbox(challenge, slug=f"{challenge.slug}-{question.id}", entry=question.entry,
                          points=question.points, feedback=challenge.feedback,
                          tests=question.tests, app_files=files, backend=backend,
                          settings=settings)


def grade_fill(question: FillQuestion, answers: Any, challenge: Challenge,
               backend: str | None = None, settings: RunnerSettings | None = None) -> GradeResult:
    """Complete the snippet with the learner's blanks and grade it (`AnswerError` if malformed)."""
    return run_fill(question, question.app_files(fill_values(question, answers)), challenge,
                    backend, settings)


def fill_runner(challenge: Challenge, backend: str | None = None,
                settings: RunnerSettings | None = None) -> RunFill:
    """The `run_fill` that `grade_answers` takes, grading in this challenge's sandbox.

    `backend` and `settings` are those of `runner.grade`: by default the configured ones.
    """
    def run(question: FillQuestion, files: dict[str, bytes]) -> GradeResult:
        return run_fill(question, files, challenge, backend, settings)

    return run

