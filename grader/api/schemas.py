"""Marshmallow schemas of the API: requests are loaded with them, responses dumped with them,
and the OpenAPI document is generated from them (so the document cannot drift from the code)."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from runner.quiz import grading as quiz_grading
from runner.quiz.model import KINDS as QUIZ_KINDS

from .. import statuses
from ..models import KINDS

QUESTION_STATUSES = (quiz_grading.CORRECT, quiz_grading.PARTIAL, quiz_grading.WRONG,
                     quiz_grading.UNANSWERED, quiz_grading.INVALID)
from ..services.submissions import DEFAULT_PER_PAGE, MAX_PER_PAGE

TIME = {"format": "date-time", "description": "ISO 8601, UTC"}


class StrictSchema(Schema):
    """Requests may carry fields a newer client knows; they are ignored, not refused."""

    class Meta:
        unknown = EXCLUDE


class CommaList(fields.List):
    """A list of strings, also accepted as one comma-separated string (HTML forms, curl -F)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if isinstance(value, str):
            value = [part for part in value.split(",")]
        return super()._deserialize(value, attr, data, **kwargs)


# -- shared ------------------------------------------------------------------------------------

class ErrorBody(Schema):
    code = fields.String(required=True, metadata={"description": "stable, for programs"})
    message = fields.String(required=True, metadata={"description": "for people"})


class Error(Schema):
    """Every API error: `{"error": {"code": ..., "message": ...}}`."""

    error = fields.Nested(ErrorBody, required=True)


class StatusInfo(Schema):
    name = fields.String(required=True, validate=validate.OneOf(statuses.ALL))
    label = fields.String(required=True)
    final = fields.Boolean(required=True, metadata={"description": "grading is over"})
    counted = fields.Boolean(required=True, metadata={"description": "counts for scores"})


class StatusList(Schema):
    statuses = fields.List(fields.Nested(StatusInfo), required=True)


class ServiceStatus(Schema):
    paused = fields.Boolean(required=True)
    message = fields.String(required=True)
    since = fields.String(allow_none=True, metadata=TIME)
    queue = fields.String(required=True, validate=validate.OneOf(("thread", "celery")))
    pending = fields.Integer(required=True)


# -- accounts and tokens -------------------------------------------------------------------------

class Credentials(StrictSchema):
    username = fields.String(load_default="")
    password = fields.String(load_default="")
    name = fields.String(load_default=None, allow_none=True,
                         metadata={"description": "a label for the token"})


class NewToken(Schema):
    token = fields.String(required=True, metadata={"description": "shown only this once"})
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    prefix = fields.String(required=True)
    user = fields.String(required=True)
    role = fields.String(required=True)
    expires_at = fields.String(allow_none=True, metadata=TIME)


class TokenInfo(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    prefix = fields.String(required=True)
    created_at = fields.String(required=True, metadata=TIME)
    last_used_at = fields.String(allow_none=True, metadata=TIME)
    expires_at = fields.String(allow_none=True, metadata=TIME)
    revoked_at = fields.String(allow_none=True, metadata=TIME)
    active = fields.Boolean(required=True)


class TokenList(Schema):
    tokens = fields.List(fields.Nested(TokenInfo), required=True)


class RevokedToken(Schema):
    id = fields.Integer(required=True)
    revoked_at = fields.String(allow_none=True, metadata=TIME)


class Me(Schema):
    username = fields.String(required=True)
    role = fields.String(required=True)
    created_at = fields.String(required=True, metadata=TIME)


# -- challenges --------------------------------------------------------------------------------

class Challenge(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    concepts = fields.List(fields.String(), required=True)
    difficulty = fields.Integer(required=True)
    points = fields.Integer(required=True, metadata={
        "description": "the code part's points (0 for a quiz-only challenge)"})
    quiz_points = fields.Integer(required=True, metadata={"description": "0 without a quiz"})
    total_points = fields.Integer(required=True, metadata={
        "description": "what the challenge is out of: points + quiz_points"})
    has_quiz = fields.Boolean(required=True)
    quiz_only = fields.Boolean(required=True, metadata={
        "description": "a quiz and no code to submit"})
    files = fields.List(fields.String(), required=True,
                        metadata={"description": "paths or globs a learner may submit"})
    published = fields.Boolean(required=True)
    version = fields.Integer(required=True)
    feedback = fields.String(required=True, validate=validate.OneOf(("hints", "full")))
    timeout_s = fields.Integer(required=True)
    entry = fields.String(required=True)
    order = fields.Integer(required=True)
    track = fields.String(required=True, validate=validate.OneOf(("core", "extensions")),
                          metadata={"description": "core: Flask itself; extensions: the rest"})


class ChallengeListItem(Challenge):
    best_score = fields.Integer(allow_none=True, metadata={
        "description": "best code score + best quiz score; null before any counted try"})
    best_code_score = fields.Integer(allow_none=True)
    best_quiz_score = fields.Integer(allow_none=True)
    attempts = fields.Integer(required=True, metadata={"description": "code submissions"})
    quiz_attempts = fields.Integer(required=True)
    solved = fields.Boolean(required=True, metadata={
        "description": "every part (code, quiz) at full points"})


class ChallengeList(Schema):
    challenges = fields.List(fields.Nested(ChallengeListItem), required=True)


class SubmissionBrief(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    status = fields.String(required=True, validate=validate.OneOf(statuses.ALL))
    score = fields.Integer(required=True, allow_none=True)
    submitted_at = fields.String(required=True, metadata=TIME)
    course = fields.String(allow_none=True)


class ChallengeDetail(Challenge):
    statement = fields.String(required=True, metadata={"description": "Markdown"})
    submissions = fields.List(fields.Nested(SubmissionBrief),
                              metadata={"description": "mine, newest first (when signed in)"})


class ChallengeQuery(StrictSchema):
    concept = fields.String(load_default=None, metadata={"description": "only this concept id"})
    track = fields.String(load_default=None, validate=validate.OneOf(("core", "extensions")),
                          metadata={"description": "only this track"})


class ChallengeEdit(StrictSchema):
    title = fields.String()
    concepts = CommaList(fields.String())
    difficulty = fields.Integer()
    order = fields.Integer()
    published = fields.Boolean()


class Upload(Schema):
    """A challenge version and its check (the answer to an upload, and its progress)."""

    challenge = fields.Nested(Challenge, allow_none=True)
    version = fields.Integer(required=True)
    state = fields.String(required=True, validate=validate.OneOf(("queued", "running", "done")),
                          metadata={"description": "the check: waiting, running, finished"})
    valid = fields.Boolean(allow_none=True, metadata={"description": "null until checked"})
    published = fields.Boolean(required=True)
    rows_done = fields.Integer(required=True, metadata={"description": "folders graded so far"})
    rows_total = fields.Integer(required=True, metadata={"description": "folders to grade"})
    report = fields.Dict(allow_none=True, metadata={"description": "the check's rows"})
    error = fields.Nested(ErrorBody, metadata={"description": "when the check failed"})


class UploadQuery(StrictSchema):
    wait = fields.Integer(load_default=300, validate=validate.Range(min=0, max=3600), metadata={
        "description": "seconds to wait for the check before answering 202 (0: at once)"})


class FailedTest(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    failures = fields.Integer(required=True)


class ChallengeStats(Schema):
    attempts = fields.Integer(required=True)
    learners = fields.Integer(required=True)
    solved = fields.Integer(required=True)
    pass_rate = fields.Float(required=True)
    median_score = fields.Float(allow_none=True)
    most_failed = fields.List(fields.Nested(FailedTest), required=True)


class Regraded(Schema):
    submissions = fields.List(fields.Integer(), required=True)
    count = fields.Integer(required=True)


# -- submissions -------------------------------------------------------------------------------

class TestResult(Schema):
    """One hidden test's outcome (the test row of the result record)."""

    id = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    points = fields.Integer(required=True)
    max_points = fields.Integer(required=True)
    message = fields.String(required=True)
    duration_ms = fields.Integer(required=True)


class Override(Schema):
    """A teacher's score in force instead of the graded one."""

    score = fields.Integer(required=True)
    reason = fields.String(required=True)
    by = fields.String(allow_none=True, metadata={"description": "the teacher"})
    at = fields.String(required=True, metadata=TIME)
class ChosenChoice(Schema):
    id = fields.Integer(required=True)
    correct = fields.Boolean(required=True)
    feedback = fields.String(required=True)


class PredictPart(Schema):
    given = fields.Raw(allow_none=True, metadata={"description": "the learner's answer"})
    expected = fields.Raw(allow_none=True, metadata={"description": "what the app answered"})
    correct = fields.Boolean(required=True)


class FillTest(Schema):
    title = fields.String(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)


class QuestionResult(Schema):
    """One quiz question's grade and feedback (the runner's QuestionResult)."""

    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(QUIZ_KINDS))
    status = fields.String(required=True, validate=validate.OneOf(QUESTION_STATUSES))
    points = fields.Integer(required=True)
    max_points = fields.Integer(required=True)
    message = fields.String(required=True)
    explanation = fields.String(required=True)
    choices = fields.List(fields.Nested(ChosenChoice), metadata={
        "description": "choice: each chosen choice, whether it is right, its feedback"})
    longest_run = fields.Integer(metadata={"description": "order: the longest right stretch"})
    lines = fields.Integer(metadata={"description": "order: the solution's line count"})
    parts = fields.Dict(keys=fields.String(), values=fields.Nested(PredictPart), metadata={
        "description": "predict: each asked part (status, body, mimetype, location)"})
    tests = fields.List(fields.Nested(FillTest), metadata={"description": "fill: its tests"})


class Record(Schema):
    """The result record of a submission (a quiz attempt adds answers and question results)."""

    id = fields.Integer(required=True)
    challenge = fields.String(required=True)
    user = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(statuses.ALL), metadata={
        "description": "`graded` while a course hides the verdict until the due time"})
    score = fields.Integer(required=True, allow_none=True, metadata={
        "description": "the score that counts: the override's when there is one, else "
                       "graded_score; null while a course hides it"})
    graded_score = fields.Integer(required=True, allow_none=True, metadata={
        "description": "what the tests gave; null while a course hides it"})
    override = fields.Nested(Override, allow_none=True, required=True, metadata={
        "description": "a teacher's override of the score, or null"})
    max_score = fields.Integer(required=True)
    message = fields.String(required=True)
    tests = fields.List(fields.Nested(TestResult), required=True)
    submitted_at = fields.String(required=True, metadata=TIME)
    started_at = fields.String(allow_none=True, metadata=TIME)
    finished_at = fields.String(allow_none=True, metadata=TIME)
    timings_ms = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    version = fields.Integer(allow_none=True, metadata={"description": "challenge version"})
    attempts = fields.Integer(required=True, metadata={"description": "grading attempts"})
    course = fields.String(required=True, allow_none=True,
                           metadata={"description": "the course it counts for; null: practice"})
    late_hours = fields.Float(required=True, metadata={
        "description": "hours after the learner's due time when it was stored; 0 on time"})
    credit = fields.Integer(required=True, metadata={"description": "0-100; 100 outside courses"})
    credited_score = fields.Integer(required=True, allow_none=True,
                                    metadata={"description": "score * credit / 100, rounded down"})
    feedback = fields.String(required=True, validate=validate.OneOf(("full", "score", "none")),
                             metadata={"description": "how much of the result is shown"})
    feedback_until = fields.String(required=True, allow_none=True, metadata={
        **TIME, "description": "when the rest is shown (the due time); null: all shown"})
    queue_position = fields.Integer(allow_none=True, metadata={
        "description": "place in line while queued (1 = next), else null"})
    eta_s = fields.Integer(allow_none=True, metadata={
        "description": "expected seconds until the grading starts, while queued"})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS), metadata={
        "description": "code, or quiz for a quiz attempt"})
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), metadata={
        "description": "quiz: the answers by question id"})
    questions = fields.List(fields.Nested(QuestionResult), metadata={
        "description": "quiz: each question's result, in the quiz's order (once graded)"})
    ignored = fields.List(fields.String(), metadata={
        "description": "quiz: answered ids that are not questions"})


class RecordList(Schema):
    """One page of result records, newest first."""

    submissions = fields.List(fields.Nested(Record), required=True)
    page = fields.Integer(required=True, metadata={"description": "this page, from 1"})
    per_page = fields.Integer(required=True, metadata={"description": "records per page"})
    total = fields.Integer(required=True, metadata={"description": "records on every page"})
    next = fields.String(required=True, allow_none=True, metadata={
        "description": "the URL of the next page, or null on the last one"})


class SubmissionForm(StrictSchema):
    """The text fields of a submission upload (the files are the other parts)."""

    challenge = fields.String(load_default="", metadata={"description": "the challenge slug"})
    course = fields.String(load_default="", metadata={
        "description": "a course slug: the submission counts for its assignment"})


class SubmissionQuery(StrictSchema):
    challenge = fields.String(load_default=None,
                              metadata={"description": "only this challenge's submissions"})
    all = fields.Boolean(load_default=False,
                         metadata={"description": "teachers (and course staff, with course): "
                                                  "everyone's submissions"})
    course = fields.String(load_default=None,
                           metadata={"description": "only this course's submissions"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1),
                          metadata={"description": "which page, from 1 (newest first)"})
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE,
                              validate=validate.Range(min=1, max=MAX_PER_PAGE),
                              metadata={"description": "records per page"})


class SubmissionFiles(Schema):
    files = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


# -- leaderboard -------------------------------------------------------------------------------

class Standing(Schema):
    rank = fields.Integer(required=True)
    name = fields.String(required=True)
    score = fields.Integer(required=True)
    solved = fields.Integer(required=True)
    last_improvement = fields.String(allow_none=True, metadata=TIME)


class Leaderboard(Schema):
    rows = fields.List(fields.Nested(Standing), required=True)


def load(schema: type[Schema], data: Any) -> dict[str, Any]:
    """Validate request data with a schema; `ValidationError` becomes a 422 in the API."""
    if not isinstance(data, dict) and not hasattr(data, "getlist"):
        raise ValidationError({"_schema": ["The request body must be a JSON object"]})
    return schema().load(data)
