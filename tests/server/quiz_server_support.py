"""Quiz test data for the server tests: a challenge with code and a quiz, a quiz-only one, and
answers to them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask

from grader.services import versions

ROOT = Path(__file__).resolve().parents[2]
QUIZ_ROUTES = Path(__file__).resolve().parent / "quiz_data" / "quiz-routes"
DEMO = ROOT / "tests" / "quiz" / "challenges" / "quiz-demo"
MISTAKES = ROOT / "tests" / "quiz" / "challenges" / "quiz-mistakes"

# quiz-routes: every point of its quiz (12); the command-line tests read the same file
RIGHT = json.loads((QUIZ_ROUTES.parent / "quiz-routes-answers.json").read_text(encoding="utf-8"))
# every question but the fill one, right: 9 of 12 points, graded without a sandbox run
NO_FILL = {qid: RIGHT[qid] for qid in ("route-decorator", "route-parts", "hello-view",
                                       "missing-route")}
# the same questions, each answered wrongly
WRONG = {
    "route-decorator": [1],
    "route-parts": [2],
    "hello-view": ["def hello(name):", '@app.route("/hello/<name>")',
                   '    return "Hello, name!"'],
    "missing-route": {"status": 200},
    "dynamic-rule": {"rule": "<int:name>"},
}
# quiz-demo (quiz only): every point (22), the answers the quiz engine's tests use too
DEMO_RIGHT = json.loads((DEMO.parent.parent / "quiz-demo-answers.json").read_text(encoding="utf-8"))


def load_quizzes(app: Flask, *folders: Path, validate: bool = False) -> None:
    """Store challenge folders as the test app's challenges (trusted: the check is skipped)."""
    with app.app_context():
        for folder in folders or (QUIZ_ROUTES, DEMO):
            versions.import_folder(folder, validate=validate, backend="local")


def answer(client: Any, headers: dict[str, str], answers: Any, slug: str = "quiz-routes",
           attempt: int | None = None, wait: int = 60, course: str | None = None) -> Any:
    """POST a set of answers to the API (continuing `attempt` when given; for a course's
    assignment when `course` is)."""
    body: dict[str, Any] = {"answers": answers}
    if attempt is not None:
        body["attempt"] = attempt
    if course is not None:
        body["course"] = course
    return client.post(f"/api/v1/challenges/{slug}/quiz/answers?wait={wait}", json=body,
                       headers=headers)


def statuses_of(record: dict[str, Any]) -> dict[str, str]:
    """Question id -> status of a graded record."""
    return {q["id"]: q["status"] for q in record["questions"]}
