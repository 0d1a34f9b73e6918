"""Marshmallow schemas of the API: requests are loaded with them, responses dumped with them,
and the OpenAPI document is generated from them (so the document cannot drift from the code)."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from .. import statuses
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
    points = fields.Integer(required=True)
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
    best_score = fields.Integer(allow_none=True)
    attempts = fields.Integer(required=True)
    solved = fields.Boolean(required=True)


class ChallengeList(Schema):
    challenges = fields.List(fields.Nested(ChallengeListItem), required=True)


class SubmissionBrief(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(statuses.ALL))
    score = fields.Integer(required=True)
    submitted_at = fields.String(required=True, metadata=TIME)


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


class Record(Schema):
    """The result record of a submission."""

    id = fields.Integer(required=True)
    challenge = fields.String(required=True)
    user = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(statuses.ALL))
    score = fields.Integer(required=True)
    max_score = fields.Integer(required=True)
    message = fields.String(required=True)
    tests = fields.List(fields.Nested(TestResult), required=True)
    submitted_at = fields.String(required=True, metadata=TIME)
    started_at = fields.String(allow_none=True, metadata=TIME)
    finished_at = fields.String(allow_none=True, metadata=TIME)
    timings_ms = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    version = fields.Integer(allow_none=True, metadata={"description": "challenge version"})
    attempts = fields.Integer(required=True, metadata={"description": "grading attempts"})
    queue_position = fields.Integer(allow_none=True, metadata={
        "description": "place in line while queued (1 = next), else null"})
    eta_s = fields.Integer(allow_none=True, metadata={
        "description": "expected seconds until the grading starts, while queued"})


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


class SubmissionQuery(StrictSchema):
    challenge = fields.String(load_default=None,
                              metadata={"description": "only this challenge's submissions"})
    all = fields.Boolean(load_default=False,
                         metadata={"description": "teachers: everyone's submissions"})
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
