"""Marshmallow schemas of the review API: similarity, score overrides, the audit log, comments."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from .schemas import TIME, StrictSchema

OFFSETS = ("character offsets [a_start, a_end, b_start, b_end] (end exclusive) into each "
           "side's text: the submission's files joined in path order, so a one-file "
           "submission's offsets are offsets into that file")


# -- similarity --------------------------------------------------------------------------------

class SimilarityPair(Schema):
    """Two learners' best submissions and how much of their code they share."""

    a = fields.Integer(required=True, metadata={"description": "a submission id"})
    b = fields.Integer(required=True, metadata={"description": "the other submission id"})
    users = fields.List(fields.String(), required=True, metadata={"description": "[a's, b's]"})
    similarity = fields.Float(required=True, validate=validate.Range(0.0, 1.0), metadata={
        "description": "the larger share of either side's token text found in the other"})
    matches = fields.List(fields.List(fields.Integer()), required=True,
                          metadata={"description": OFFSETS})


class SimilarityResult(Schema):
    """The pairs, highest first, over each learner's best submission (the starter excluded)."""

    pairs = fields.List(fields.Nested(SimilarityPair), required=True)
    challenge = fields.String(required=True)
    run = fields.Integer(required=True)
    submissions = fields.Integer(required=True, metadata={"description": "learners compared"})
    compared = fields.Integer(required=True, metadata={"description": "pairs compared"})
    threshold = fields.Float(required=True)
    computed_at = fields.String(allow_none=True, metadata=TIME)


class SimilarityProgress(Schema):
    """A computation waiting or under way (also the `similarity.progress` event)."""

    challenge = fields.String(required=True)
    run = fields.Integer(required=True)
    state = fields.String(required=True,
                          validate=validate.OneOf(("queued", "running", "done", "failed")))
    done = fields.Integer(required=True, metadata={"description": "pairs compared so far"})
    total = fields.Integer(required=True)
    submissions = fields.Integer(required=True)
    message = fields.String(required=True)
    requested_at = fields.String(required=True, metadata=TIME)
    started_at = fields.String(allow_none=True, metadata=TIME)
    finished_at = fields.String(allow_none=True, metadata=TIME)


class SimilarityQuery(StrictSchema):
    threshold = fields.Float(load_default=0.0, validate=validate.Range(0.0, 1.0),
                             metadata={"description": "only pairs at least this similar"})
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1),
                           metadata={"description": "at most this many pairs"})


class FileSpan(Schema):
    path = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


class PairSide(Schema):
    id = fields.Integer(required=True)
    user = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "the files joined in path order"})
    files = fields.List(fields.Nested(FileSpan), required=True)


class PairSides(Schema):
    a = fields.Nested(PairSide, required=True)
    b = fields.Nested(PairSide, required=True)


class SimilarityPairDetail(SimilarityPair):
    """One pair with both texts, for a side-by-side view."""

    sides = fields.Nested(PairSides, required=True)


# -- score overrides and the audit log ---------------------------------------------------------

class OverrideBody(StrictSchema):
    score = fields.Integer(required=True, strict=True,
                           metadata={"description": "0 to the submission's max_score"})
    reason = fields.String(required=True, metadata={"description": "why; kept in the audit log"})


class OverrideRemoval(StrictSchema):
    reason = fields.String(load_default="", metadata={
        "description": "why the graded score counts again (also accepted in a JSON body)"})


class AuditEntry(Schema):
    id = fields.Integer(required=True)
    at = fields.String(required=True, metadata=TIME)
    by = fields.String(allow_none=True)
    old = fields.Integer(required=True, metadata={"description": "the score in force before"})
    new = fields.Integer(allow_none=True,
                         metadata={"description": "the override; null when it was removed"})
    graded = fields.Integer(required=True, metadata={"description": "the graded score then"})
    reason = fields.String(required=True)


class AuditLog(Schema):
    entries = fields.List(fields.Nested(AuditEntry), required=True)


# -- comments ----------------------------------------------------------------------------------

class Comment(Schema):
    """A comment on a line of a submitted file (or a reply in its thread)."""

    id = fields.Integer(required=True)
    submission_id = fields.Integer(required=True)
    parent = fields.Integer(allow_none=True, metadata={
        "description": "the thread's first comment, for a reply; else null"})
    path = fields.String(required=True)
    line = fields.Integer(required=True, metadata={"description": "1-based"})
    body = fields.String(required=True)
    author = fields.String(allow_none=True)
    staff = fields.Boolean(required=True, metadata={"description": "written by a reviewer"})
    created_at = fields.String(required=True, metadata=TIME)
    new = fields.Boolean(metadata={"description": "not read yet by the one asking"})


class CommentList(Schema):
    comments = fields.List(fields.Nested(Comment), required=True,
                           metadata={"description": "threads by file and line, replies in order"})
    unread = fields.Integer(required=True, metadata={"description": "new to the one asking"})


class NewComment(StrictSchema):
    body = fields.String(required=True)
    path = fields.String(load_default=None, metadata={"description": "a file of the submission"})
    line = fields.Integer(load_default=None, strict=True, metadata={"description": "1-based"})
    parent = fields.Integer(load_default=None, strict=True,
                            metadata={"description": "reply in this comment's thread"})


class UnreadCount(Schema):
    count = fields.Integer(required=True)


class UnreadSubmission(Schema):
    id = fields.Integer(required=True)
    challenge = fields.String(required=True)
    count = fields.Integer(required=True)


class Unread(Schema):
    count = fields.Integer(required=True, metadata={"description": "comments not read yet"})
    submissions = fields.List(fields.Nested(UnreadSubmission), required=True)
