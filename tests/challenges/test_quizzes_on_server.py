"""The bundled quizzes on the server: every one loads, is shown without its answers, and one is
graded end to end through the API with its reference answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from grader import create_app, live
from grader.extensions import db
from grader.services import accounts, tokens, versions
from runner import load_challenge
from runner.quiz import (
    ChoiceQuestion,
    FillQuestion,
    OrderQuestion,
    PredictQuestion,
    Quiz,
    compute_predictions,
    load_quiz,
)

ROOT = Path(__file__).resolve().parents[2]
CHALLENGES = ROOT / "challenges"
WITH_QUIZ = sorted(p for p in CHALLENGES.iterdir() if (p / "quiz.toml").is_file())
SECRET_KEYS = {"correct", "feedback", "answer", "tests", "explanation", "distractors"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A server holding the whole bundled curriculum (stored as a trusted sync does)."""
    tmp = tmp_path_factory.mktemp("curriculum-server")
    mp = pytest.MonkeyPatch()
    mp.setenv("GRADER_INSTANCE_PATH", str(tmp / "instance"))
    live._last_standings = None
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'db'}",
                      "GRADER_BACKEND": "local", "GRADER_RECOVER_ON_START": False,
                      "GRADER_RATE_LIMIT": (0, 60), "SECRET_KEY": "curriculum-tests-0123456789"})
    with app.app_context():
        db.create_all()
        rows = versions.sync(CHALLENGES, validate=False)
        assert [r for r in rows if r["error"]] == []
    yield app
    app.extensions["grader_queue"].shutdown(wait=True)
    with app.app_context():
        db.engine.dispose()
    mp.undo()


def keys_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for item in value.values() for k in keys_of(item)}
    if isinstance(value, list):
        return {k for item in value for k in keys_of(item)}
    return set()


@pytest.mark.parametrize("folder", WITH_QUIZ, ids=[p.name for p in WITH_QUIZ])
def test_the_quiz_loads_on_the_server(app, folder):
    quiz = load_quiz(folder)
    client = app.test_client()
    listed = client.get(f"/api/v1/challenges/{folder.name}").get_json()
    assert (listed["quiz_points"], listed["has_quiz"]) == (quiz.points, True)
    view = client.get(f"/api/v1/challenges/{folder.name}/quiz").get_json()
    assert [q["id"] for q in view["questions"]] == [q.id for q in quiz.questions]
    assert view["points"] == quiz.points
    assert not keys_of(view["questions"]) & SECRET_KEYS, "no answer reaches learners"
    page = client.get(f"/challenges/{folder.name}/quiz")
    assert page.status_code == 200 and quiz.questions[0].id in page.get_data(as_text=True)


def reference_answers(quiz: Quiz, folder: Path) -> dict[str, Any]:
    """What a learner who knows everything answers (predict answers as the app gives them)."""
    expected = compute_predictions(quiz, load_challenge(folder), backend="local")
    answers: dict[str, Any] = {}
    for q in quiz.questions:
        if isinstance(q, ChoiceQuestion):
            answers[q.id] = sorted(q.right)
        elif isinstance(q, OrderQuestion):
            answers[q.id] = list(q.lines)
        elif isinstance(q, PredictQuestion):
            answers[q.id] = {part: expected[q.id][part] for part in q.ask}
        elif isinstance(q, FillQuestion):
            answers[q.id] = {b.name: b.answer for b in q.blanks}
    return answers


def test_a_bundled_quiz_scores_full_points_with_its_reference_answers(app):
    folder = CHALLENGES / "hello-flask"
    quiz = load_quiz(folder)
    with app.app_context():
        learner = accounts.register("ann", "correct-horse-9")
        plaintext, _ = tokens.create(learner, "tests")
    response = app.test_client().post(
        "/api/v1/challenges/hello-flask/quiz/answers?wait=120",
        json={"answers": reference_answers(quiz, folder)},
        headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert (record["status"], record["score"], record["max_score"]) == (
        "passed", quiz.points, quiz.points)
