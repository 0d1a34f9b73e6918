"""Concept quizzes: `quiz.toml` read and validated, shown per learner, graded, checked.

    from runner.quiz import load_quiz, public_view, grade_answers, fill_runner
    quiz = load_quiz("challenges/url-converters")           # Quiz | None
    view = public_view(quiz, seed=user_id)                   # plain JSON, no answers
    result = grade_answers(quiz, answers, expected, run_fill=fill_runner(challenge))

`expected` holds the predict answers that `grader challenge check` computed in the sandbox
(its report's `quiz.expected`), stored by the server with the challenge version.
"""

from __future__ import annotations

from .grading import AnswerError, QuestionResult, QuizResult, grade_answers
from .model import (
    Blank,
    Choice,
    ChoiceQuestion,
    FillQuestion,
    OrderQuestion,
    PredictQuestion,
    Question,
    Quiz,
    QuizError,
    load_quiz,
    parse_quiz,
)
from .sandbox import compute_predictions, fill_runner, grade_fill, run_fill
from .view import public_view

__all__ = [
    "AnswerError", "Blank", "Choice", "ChoiceQuestion", "FillQuestion", "OrderQuestion",
    "PredictQuestion", "Question", "QuestionResult", "Quiz", "QuizError", "QuizResult",
    "compute_predictions", "fill_runner", "grade_answers", "grade_fill", "load_quiz",
    "parse_quiz", "public_view", "run_fill",
]
