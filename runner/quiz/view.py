"""What a learner is shown of a quiz: the questions without answers, shuffled per learner."""

from __future__ import annotations

import random
from typing import Any

from .model import (
    INDENT,
    ChoiceQuestion,
    FillQuestion,
    OrderQuestion,
    PredictQuestion,
    Question,
    Quiz,
)


def _rng(seed: str | int, question: Question) -> random.Random:
    # str seeds are hashed with SHA-512 by `random`, so the order is the same in every process
    # (unlike hash()); one generator per question keeps an edit elsewhere from reshuffling it
    return random.Random(f"{seed}:{question.id}")


def choice_order(question: ChoiceQuestion, seed: str | int) -> list[int]:
    """The choice ids in the order this learner sees them."""
    ids = [c.id for c in question.choices]
    if not question.fixed_order:
        _rng(seed, question).shuffle(ids)
    return ids


def _shows_solution(pool: list[str], solution: list[str]) -> bool:
    n = len(solution)
    return any(pool[i:i + n] == solution for i in range(len(pool) - n + 1))


def line_order(question: OrderQuestion, seed: str | int) -> list[str]:
    """The lines, without indentation, in the order this learner sees them.

    A shuffle that happens to leave the solution in one piece gives the answer away, so the
    same generator shuffles again (at least three lines make that rare and the loop short).
    """
    pool = list(question.pool)
    solution = [line.strip() for line in question.lines]
    rng = _rng(seed, question)
    for _ in range(20):
        rng.shuffle(pool)
        if not _shows_solution(pool, solution):
            break
    return pool


def _question_view(question: Question, seed: str | int) -> dict[str, Any]:
    view: dict[str, Any] = {"id": question.id, "kind": question.kind,
                            "concepts": list(question.concepts), "points": question.points,
                            "prompt": question.prompt}
    if isinstance(question, ChoiceQuestion):
        texts = {c.id: c.text for c in question.choices}
        view["multiple"] = question.multiple
        view["choices"] = [{"id": cid, "text": texts[cid]} for cid in choice_order(question, seed)]
    elif isinstance(question, OrderQuestion):
        view["lines"] = line_order(question, seed)
        view["indent"] = INDENT
    elif isinstance(question, PredictQuestion):
        view.update(app=question.app, files=dict(question.files), entry=question.entry,
                    request=dict(question.request), ask=list(question.ask))
    elif isinstance(question, FillQuestion):
        view.update(snippet=question.snippet, snippet_path=question.snippet_path,
                    files=dict(question.files), entry=question.entry,
                    blanks=[{"name": b.name, "width": b.width} for b in question.blanks])
    return view


def public_view(quiz: Quiz, seed: str | int) -> dict[str, Any]:
    """The quiz as plain JSON for one learner: no answers, feedback, tests or reference blanks.

    `seed` identifies the learner (a user id, say): the same seed always gives the same order,
    different seeds (almost always) different ones. Questions keep the file's order.
    """
    return {"intro": quiz.intro, "points": quiz.points,
            "questions": [_question_view(q, seed) for q in quiz.questions]}
