"""Marshmallow schemas of the course API: courses, members, assignments, extensions, gradebook.

Times come in as ISO 8601 strings with a zone (the service refuses a time without one, with a
message that says so) and go out in UTC with `Z`, like the rest of the API.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..models import COURSE_ROLES, FEEDBACK_MODES
from .schemas import TIME, Standing, StrictSchema

TIME_IN = {"format": "date-time",
           "description": "ISO 8601 with a zone, e.g. 2026-11-23T10:00:00Z or ...+01:00"}
STATES = ("upcoming", "open", "late", "closed")
CELL_STATES = ("on_time", "late", "missing", "pending", "not_due")


# -- requests ----------------------------------------------------------------------------------

class CourseCreate(StrictSchema):
    slug = fields.String(required=True, metadata={"description": "[a-z0-9-]+, unique"})
    title = fields.String(required=True)
    time_zone = fields.String(load_default=None, allow_none=True,
                              metadata={"description": "IANA name; default UTC"})


class CourseEdit(StrictSchema):
    title = fields.String()
    time_zone = fields.String(metadata={"description": "IANA name, e.g. Europe/Paris"})


class JoinRequest(StrictSchema):
    code = fields.String(required=True, metadata={"description": "the course's join code"})


class MemberPut(StrictSchema):
    role = fields.String(required=True, validate=validate.OneOf(COURSE_ROLES))


class LateStep(Schema):
    """Up to `until_hours` after the due time, a submission keeps `credit` % of its score."""

    until_hours = fields.Float(required=True, validate=validate.Range(min=0, min_inclusive=False))
    credit = fields.Integer(required=True, validate=validate.Range(min=0, max=100))


class AssignmentPut(StrictSchema):
    """Fields left out keep their value; a new assignment needs `due_at`."""

    opens_at = fields.String(allow_none=True,
                             metadata={**TIME_IN, "description": "default: now"})
    due_at = fields.String(allow_none=True,
                           metadata={**TIME_IN, "description": "null: no due time"})
    closes_at = fields.String(allow_none=True, metadata={
        **TIME_IN, "description": "after it the course refuses submissions (409); null: never"})
    late_policy = fields.List(fields.Nested(LateStep), allow_none=True, metadata={
        "description": "credit steps after the due time; on time is 100, later than the last "
                       "step 0"})
    max_submissions = fields.Integer(allow_none=True, validate=validate.Range(min=1))
    feedback_before_due = fields.String(validate=validate.OneOf(FEEDBACK_MODES), metadata={
        "description": "full: all the challenge allows; score: score and pass/fail; none: "
                       "only that it was graded"})


class ExtensionPut(StrictSchema):
    due_at = fields.String(allow_none=True, metadata=TIME_IN)
    closes_at = fields.String(allow_none=True, metadata=TIME_IN)


class GradebookQuery(StrictSchema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


# -- answers -----------------------------------------------------------------------------------

class CourseInfo(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    time_zone = fields.String(required=True)
    role = fields.String(allow_none=True, validate=validate.OneOf(COURSE_ROLES),
                         metadata={"description": "mine in this course"})
    join_code = fields.String(allow_none=True, metadata={"description": "staff only"})
    code = fields.String(allow_none=True, metadata={"description": "the same as join_code"})
    members = fields.Integer(required=True)
    created_at = fields.String(required=True, metadata=TIME)


class CourseList(Schema):
    courses = fields.List(fields.Nested(CourseInfo), required=True)


class AssignmentInfo(Schema):
    challenge = fields.String(required=True)
    title = fields.String(required=True)
    points = fields.Integer(required=True, metadata={
        "description": "the code part's points (0 for a quiz-only challenge)"})
    quiz_points = fields.Integer(metadata={"description": "0 without a quiz"})
    total_points = fields.Integer(metadata={
        "description": "what the assignment is out of: points + quiz_points"})
    published = fields.Boolean(required=True)
    opens_at = fields.String(required=True, metadata=TIME)
    due_at = fields.String(required=True, allow_none=True, metadata=TIME)
    closes_at = fields.String(allow_none=True, metadata=TIME)
    late_policy = fields.List(fields.Nested(LateStep), required=True)
    max_submissions = fields.Integer(allow_none=True)
    feedback_before_due = fields.String(required=True, validate=validate.OneOf(FEEDBACK_MODES))


class MyAssignment(AssignmentInfo):
    """An assignment with my own dates (`due_at`, `closes_at`: an extension replaces them)."""

    default_due_at = fields.String(required=True, allow_none=True, metadata=TIME)
    default_closes_at = fields.String(allow_none=True, metadata=TIME)
    extended = fields.Boolean(required=True)
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    submissions = fields.Integer(required=True, metadata={"description": "mine, counted"})
    submissions_left = fields.Integer(allow_none=True)
    pending = fields.Boolean(required=True, metadata={"description": "one of mine is grading"})
    feedback_hidden = fields.Boolean(required=True)
    best_score = fields.Integer(allow_none=True)
    credited_score = fields.Integer(allow_none=True, metadata={
        "description": "my best code score * credit / 100 + my best quiz score * credit / 100"})
    credit = fields.Integer(allow_none=True)
    late_hours = fields.Float(allow_none=True)
    best_submission = fields.Integer(allow_none=True, metadata={
        "description": "the best code submission, else the best quiz attempt"})
    code_credited_score = fields.Integer(allow_none=True, metadata={
        "description": "my best credited code score"})
    quiz_credited_score = fields.Integer(allow_none=True, metadata={
        "description": "my best credited quiz score"})
    best_code_submission = fields.Integer(allow_none=True)
    best_quiz_submission = fields.Integer(allow_none=True)


class CourseDetail(CourseInfo):
    assignments = fields.List(fields.Nested(MyAssignment), required=True)


class MemberInfo(Schema):
    user = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(COURSE_ROLES))
    joined_at = fields.String(required=True, metadata=TIME)


class MemberList(Schema):
    members = fields.List(fields.Nested(MemberInfo), required=True)


class ExtensionInfo(Schema):
    course = fields.String(required=True)
    challenge = fields.String(required=True)
    user = fields.String(required=True)
    due_at = fields.String(required=True, allow_none=True,
                           metadata={**TIME, "description": "the learner's"})
    closes_at = fields.String(allow_none=True, metadata=TIME)
    default_due_at = fields.String(required=True, allow_none=True, metadata=TIME)
    default_closes_at = fields.String(allow_none=True, metadata=TIME)


class Removed(Schema):
    removed = fields.Boolean(required=True)


class GradebookCell(Schema):
    challenge = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(CELL_STATES))
    credited_score = fields.Integer(allow_none=True)
    score = fields.Integer(allow_none=True)
    credit = fields.Integer(allow_none=True)
    late_hours = fields.Float(allow_none=True)
    submission = fields.Integer(allow_none=True, metadata={"description": "the best one's id"})
    submitted_at = fields.String(allow_none=True, metadata=TIME)
    submissions = fields.Integer(required=True)
    due_at = fields.String(required=True, allow_none=True, metadata=TIME)
    closes_at = fields.String(allow_none=True, metadata=TIME)
    extended = fields.Boolean(required=True)
    code_credited_score = fields.Integer(allow_none=True, metadata={
        "description": "the best credited code score"})
    quiz_credited_score = fields.Integer(allow_none=True, metadata={
        "description": "the best credited quiz score"})
    code_submission = fields.Integer(allow_none=True)
    quiz_submission = fields.Integer(allow_none=True)


class GradebookRow(Schema):
    user = fields.String(required=True)
    total = fields.Integer(required=True)
    late = fields.List(fields.String(), required=True)
    missing = fields.List(fields.String(), required=True)
    cells = fields.List(fields.Nested(GradebookCell), required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(allow_none=True),
                         required=True, metadata={"description": "challenge -> credited score"})


class Gradebook(Schema):
    course = fields.String(required=True)
    title = fields.String(required=True)
    time_zone = fields.String(required=True)
    assignments = fields.List(fields.Nested(AssignmentInfo), required=True)
    max_total = fields.Integer(required=True)
    rows = fields.List(fields.Nested(GradebookRow), required=True)


class CourseLeaderboard(Schema):
    course = fields.String(required=True)
    rows = fields.List(fields.Nested(Standing), required=True)
