"""The quiz endpoints of API v1: the questions, answering them, and teachers' statistics."""

from __future__ import annotations

from flask import Response, request

from .. import statuses
from ..services import ServiceError, challenges, quiz_stats, quizzes
from . import quiz_schemas, schemas
from .base import bp
from .routes import _query, _reply, _user
from .spec import describe

CONTINUED = "The attempt named by `attempt`, graded again with the new answers"
WAITING = "Stored; still waiting for (or in) its grading (Location: the record)"


@bp.get("/challenges/<slug>/quiz")
@describe(auth="optional", tags=("quizzes",), returns=quiz_schemas.QuizView,
          errors={404: "Unknown challenge, or it has no quiz"})
def get_quiz(slug: str) -> tuple[Response, int]:
    """The quiz's questions, without answers, in my order; my attempts and best score.

    Choices and order lines are shuffled per learner with a stable seed (the same learner sees
    the same order every time); anonymous visitors all see one order.
    """
    user = _user(required=False)
    return _reply(quiz_schemas.QuizView, quizzes.view(challenges.get(slug, user), user))


@bp.post("/challenges/<slug>/quiz/answers")
@describe(tags=("quizzes",), body=quiz_schemas.QuizAnswers, query=quiz_schemas.AnswersQuery,
          ok=201, returns=schemas.Record, ok_text="A new attempt, graded",
          also={200: (schemas.Record, CONTINUED), 202: (schemas.Record, WAITING)},
          errors={403: "The attempt is someone else's, or not a member of the course",
                  404: "Unknown challenge or attempt, the challenge has no quiz, or it is "
                       "not an assignment of the course",
                  409: "The attempt already answered a question, is being graded, the quiz "
                       "changed since it began, or the course does not take it now "
                       "(not_open, closed, submission_limit, attempt_course)",
                  422: "The body is not an object of answers", 429: "Too many attempts"})
def answer_quiz(slug: str) -> tuple[Response, int]:
    """Answer the quiz: the attempt is stored, graded by a worker, and its record returned.

    The answer waits for the grading (up to `wait` seconds; fill questions run in the
    sandbox): 201 for a new attempt, 200 for a continued one, 202 while it still waits. An
    answer of the wrong shape is graded `invalid` with a message; only a body that is not an
    object of answers is refused. With `course`, the attempt counts for that course's
    assignment: its record carries the course, `late_hours` and `credit`, and shows what
    the course lets the learner see before the due time.
    """
    user = _user()
    wait = _query(quiz_schemas.AnswersQuery)["wait"]
    body = request.get_json(silent=True) if request.is_json else None
    if not isinstance(body, dict):
        raise ServiceError(422, "invalid_answers", 'The body must be a JSON object: '
                           '{"answers": {"question-id": ...}}')
    data = schemas.load(quiz_schemas.QuizAnswers, body)
    attempt, created = quizzes.submit(user, slug, data["answers"], data["attempt"],
                                      course=data["course"])
    attempt = quizzes.wait_for_grading(attempt.id, wait)
    if attempt.status in statuses.PENDING:
        response, status = _reply(schemas.Record, quizzes.record(attempt, user), 202)
        response.headers["Location"] = f"/api/v1/submissions/{attempt.id}"
        return response, status
    return _reply(schemas.Record, quizzes.record(attempt, user), 201 if created else 200)


@bp.get("/challenges/<slug>/quiz/stats")
@describe(auth="teacher", tags=("quizzes", "teachers"), returns=quiz_schemas.QuizStats,
          errors={404: "Unknown challenge, or it has no quiz"})
def get_quiz_stats(slug: str) -> tuple[Response, int]:
    """Per question: attempts, correct rate, and for choice questions how many chose each choice.

    Learners' graded attempts on the current version count (teachers' own tries do not).
    """
    user = _user(teacher=True)
    return _reply(quiz_schemas.QuizStats, quiz_stats.stats(challenges.get(slug, user)))
