"""Fixtures for the quiz engine's tests: the demo quiz, and a way to make broken variants of it."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from typing import Any

import pytest
from quiz_support import DEMO

from runner.quiz import Quiz, load_quiz, parse_quiz


@pytest.fixture(scope="session")
def demo_data() -> dict[str, Any]:
    """The demo quiz.toml as parsed TOML, to copy and break."""
    return tomllib.loads((DEMO / "quiz.toml").read_text())


@pytest.fixture(scope="session")
def demo() -> Quiz:
    quiz = load_quiz(DEMO)
    assert quiz is not None
    return quiz


@pytest.fixture
def variant(demo_data) -> Callable[..., Quiz]:
    """parse_quiz on a copy of the demo whose question `qid` was changed by `change`."""

    def make(qid: str, change: Callable[[dict[str, Any]], object]) -> Quiz:
        data = copy.deepcopy(demo_data)
        change(next(q for q in data["questions"] if q["id"] == qid))
        return parse_quiz(data)

    return make
