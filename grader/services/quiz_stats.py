"""Quiz statistics for teachers: per question, how often it was answered and right, and for
choice questions how many learners chose each choice (the wrong ones show misconceptions)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from runner.quiz import ChoiceQuestion, Question, Quiz

from ..extensions import db
from ..models import QUIZ, Challenge, Submission, User
from ..statuses import COUNTED
from . import quizzes

OUTCOMES = ("correct", "partial", "wrong", "invalid", "unanswered")


def _attempts(challenge: Challenge) -> list[Submission]:
    """Learners' graded attempts on the current version (its question and choice ids).

    Teachers' own tries are left out, as on the leaderboard; attempts graded on an earlier
    version count once they are regraded on this one.
    """
    return list(db.session.scalars(
        select(Submission).join(User, User.id == Submission.user_id)
        .where(Submission.challenge_id == challenge.id, Submission.kind == QUIZ,
               Submission.version_id == challenge.current_version_id,
               Submission.status.in_(COUNTED), User.role == "student")
        .order_by(Submission.id)))


def _question_stats(question: Question, attempts: list[Submission]) -> dict[str, Any]:
    outcomes: Counter[str] = Counter()
    points = 0
    chosen: Counter[int] = Counter()
    for attempt in attempts:
        results = {r.get("id"): r for r in (attempt.quiz_result or {}).get("questions") or []}
        result = results.get(question.id) or {"status": "unanswered", "points": 0}
        status = str(result.get("status"))
        outcomes[status] += 1
        if status in ("unanswered", "invalid"):
            continue
        points += int(result.get("points") or 0)
        answer = (attempt.answers or {}).get(question.id)
        if isinstance(question, ChoiceQuestion) and isinstance(answer, list):
            chosen.update(a for a in answer if type(a) is int)
    answered = sum(outcomes[o] for o in OUTCOMES if o != "unanswered")
    data: dict[str, Any] = {
        "id": question.id, "kind": question.kind, "concepts": list(question.concepts),
        "prompt": question.prompt, "points": question.points, "answered": answered,
        **{outcome: outcomes[outcome] for outcome in OUTCOMES},
        "correct_rate": outcomes["correct"] / answered if answered else None,
        "mean_points": points / answered if answered else None,
    }
    if isinstance(question, ChoiceQuestion):
        graded = answered - outcomes["invalid"]
        data["multiple"] = question.multiple
        data["choices"] = [{"id": c.id, "text": c.text, "correct": c.correct,
                            "chosen": chosen[c.id],
                            "rate": chosen[c.id] / graded if graded else None}
                           for c in question.choices]
    return data


def stats(challenge: Challenge) -> dict[str, Any]:
    """Attempts, learners, mean score, and one row per question in the quiz's order."""
    quiz: Quiz = quizzes.require(challenge)
    attempts = _attempts(challenge)
    scores = [a.score for a in attempts]
    return {
        "challenge": challenge.slug,
        "version": challenge.current_version.number,
        "attempts": len(attempts),
        "learners": len({a.user_id for a in attempts}),
        "max_score": quiz.points,
        "mean_score": sum(scores) / len(scores) if scores else None,
        "questions": [_question_stats(q, attempts) for q in quiz.questions],
    }
