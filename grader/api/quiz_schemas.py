"""Marshmallow schemas of the quiz endpoints: the questions shown, the answers sent, the
statistics (the graded attempt is a `schemas.Record`)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from .. import statuses
from .schemas import QUIZ_KINDS, TIME, StrictSchema

WAIT_DEFAULT_S = 30


class QuizChoice(Schema):
    id = fields.Integer(required=True, metadata={"description": "what an answer names"})
    text = fields.String(required=True, metadata={"description": "Markdown"})


class QuizBlank(Schema):
    name = fields.String(required=True)
    width = fields.Integer(allow_none=True, metadata={"description": "characters, if set"})


class QuizQuestion(Schema):
    """One question as the learner sees it: no answer, feedback, test or reference blank."""

    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(QUIZ_KINDS))
    concepts = fields.List(fields.String(), required=True)
    points = fields.Integer(required=True)
    prompt = fields.String(required=True, metadata={"description": "Markdown"})
    multiple = fields.Boolean(metadata={"description": "choice: several answers may be right"})
    choices = fields.List(fields.Nested(QuizChoice), metadata={
        "description": "choice: in this learner's order"})
    lines = fields.List(fields.String(), metadata={
        "description": "order: every line, without indentation, in this learner's order"})
    indent = fields.Integer(metadata={"description": "order: spaces per indentation level"})
    app = fields.String(metadata={"description": "predict: app.py"})
    files = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "predict and fill: the other files of the app"})
    entry = fields.String(metadata={"description": "predict and fill: module:app"})
    request = fields.Dict(metadata={"description": "predict: the request the app is sent"})
    ask = fields.List(fields.String(), metadata={
        "description": "predict: the parts to answer (status, body, mimetype, location)"})
    snippet = fields.String(metadata={"description": "fill: the text with [[name]] blanks"})
    snippet_path = fields.String(metadata={"description": "fill: the snippet's file"})
    blanks = fields.List(fields.Nested(QuizBlank), metadata={"description": "fill"})


class AttemptBrief(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(statuses.ALL), metadata={
        "description": "`graded` while a course hides the verdict until the due time"})
    score = fields.Integer(required=True, allow_none=True, metadata={
        "description": "null while a course hides it"})
    max_score = fields.Integer(required=True)
    submitted_at = fields.String(required=True, metadata=TIME)
    answered = fields.Integer(required=True, metadata={"description": "questions answered"})
    course = fields.String(allow_none=True, metadata={
        "description": "the course it counts for; null: practice"})
    credit = fields.Integer(metadata={"description": "0-100; 100 outside courses"})
    credited_score = fields.Integer(allow_none=True, metadata={
        "description": "score * credit / 100, rounded down; null while a course hides it"})
    feedback = fields.String(validate=validate.OneOf(("full", "score", "none")), metadata={
        "description": "how much of the result is shown (absent: all of it)"})
    feedback_until = fields.String(allow_none=True, metadata=TIME)


class QuizView(Schema):
    challenge = fields.String(required=True)
    title = fields.String(required=True)
    quiz_only = fields.Boolean(required=True)
    intro = fields.String(required=True)
    points = fields.Integer(required=True, metadata={"description": "the quiz's points"})
    questions = fields.List(fields.Nested(QuizQuestion), required=True)
    attempts = fields.List(fields.Nested(AttemptBrief), required=True, metadata={
        "description": "mine, newest first (empty when not signed in)"})
    best_score = fields.Integer(allow_none=True)


class QuizAnswers(StrictSchema):
    """A set of answers; `attempt` continues one of my attempts instead of starting one."""

    answers = fields.Raw(required=True, metadata={
        "description": "question id -> answer: choice ids, lines, {part: value}, {blank: text}",
        "type": "object"})
    attempt = fields.Integer(load_default=None, allow_none=True, metadata={
        "description": "an attempt of mine to add these answers to (it is graded again)"})
    course = fields.String(load_default=None, allow_none=True, metadata={
        "description": "a course slug: a new attempt counts for its assignment of the "
                       "challenge (a continued one stays in the course it began in)"})


class AnswersQuery(StrictSchema):
    wait = fields.Integer(load_default=WAIT_DEFAULT_S, validate=validate.Range(min=0, max=600),
                          metadata={"description": "seconds to wait for the grading before "
                                                   "answering 202 (0: at once)"})


class ChoiceCount(Schema):
    id = fields.Integer(required=True)
    text = fields.String(required=True)
    correct = fields.Boolean(required=True)
    chosen = fields.Integer(required=True, metadata={"description": "attempts that chose it"})
    rate = fields.Float(allow_none=True, metadata={"description": "chosen / graded answers"})


class QuestionStats(Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(QUIZ_KINDS))
    concepts = fields.List(fields.String(), required=True)
    prompt = fields.String(required=True)
    points = fields.Integer(required=True)
    answered = fields.Integer(required=True, metadata={"description": "attempts answering it"})
    correct = fields.Integer(required=True)
    partial = fields.Integer(required=True)
    wrong = fields.Integer(required=True)
    invalid = fields.Integer(required=True)
    unanswered = fields.Integer(required=True)
    correct_rate = fields.Float(allow_none=True, metadata={"description": "correct / answered"})
    mean_points = fields.Float(allow_none=True)
    multiple = fields.Boolean()
    choices = fields.List(fields.Nested(ChoiceCount), metadata={"description": "choice only"})


class QuizStats(Schema):
    challenge = fields.String(required=True)
    version = fields.Integer(required=True, metadata={
        "description": "the counted attempts were graded on this version"})
    attempts = fields.Integer(required=True, metadata={"description": "learners' attempts"})
    learners = fields.Integer(required=True)
    max_score = fields.Integer(required=True)
    mean_score = fields.Float(allow_none=True)
    questions = fields.List(fields.Nested(QuestionStats), required=True)
