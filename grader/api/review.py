"""The review API: similarity of submissions, score overrides and their audit log, comments."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from ..services import ServiceError, challenges, reviews, similarity, submissions
from . import review_schemas as rs
from . import schemas
from .base import bp
from .routes import _body, _query, _reply, _user
from .spec import describe


def _progress(run: Any) -> tuple[Response, int]:
    return _reply(rs.SimilarityProgress, similarity.progress(run), 202)


@bp.get("/challenges/<slug>/similarity")
@describe(auth="teacher", tags=("review",), query=rs.SimilarityQuery,
          returns=rs.SimilarityResult, ok_text="The pairs, most similar first",
          also={202: (rs.SimilarityProgress, ("Being computed (started now if the cached "
                                              "result was stale): ask again, or follow "
                                              "`similarity.progress`"))},
          errors={404: "Unknown challenge", 503: "The last computation failed"})
def get_similarity(slug: str) -> tuple[Response, int]:
    """Pairs of learners whose best submissions share code, highest similarity first.

    Computed in the background over each learner's best submission, the starter code excluded
    as boilerplate, and cached until a new submission changes someone's best. `matches` are
    character offsets into each side's text (its files joined in path order).
    """
    user = _user(teacher=True)
    query = _query(rs.SimilarityQuery)
    run = similarity.current(user, challenges.get(slug, user))
    if run.state != "done":
        return _progress(run)
    return _reply(rs.SimilarityResult, similarity.result(run, query["threshold"],
                                                         query["limit"]))


@bp.post("/challenges/<slug>/similarity")
@describe(auth="teacher", tags=("review",), ok=202, returns=rs.SimilarityProgress,
          ok_text="A new computation is queued", errors={404: "Unknown challenge"})
def start_similarity(slug: str) -> tuple[Response, int]:
    """Compute the similarity again from the current best submissions, whatever the cache."""
    user = _user(teacher=True)
    return _progress(similarity.start(user, challenges.get(slug, user)))


@bp.get("/challenges/<slug>/similarity/<int:a>/<int:b>")
@describe(auth="teacher", tags=("review",), returns=rs.SimilarityPairDetail,
          errors={404: "Unknown challenge, or not a pair of the result",
                  409: "The result is being computed"})
def get_similarity_pair(slug: str, a: int, b: int) -> tuple[Response, int]:
    """One pair with both texts, for showing them side by side with the matches marked."""
    user = _user(teacher=True)
    run = similarity.current(user, challenges.get(slug, user))
    if run.state != "done":
        raise ServiceError(409, "computing", "The similarity is being computed; ask again soon")
    return _reply(rs.SimilarityPairDetail, similarity.pair(run, a, b))


@bp.put("/submissions/<int:submission_id>/override")
@describe(auth="teacher", tags=("review",), body=rs.OverrideBody, returns=schemas.Record,
          ok_text="The record, with the override in force",
          errors={404: "No such submission", 409: "Not a graded submission",
                  422: "A score outside 0..max_score, or no reason"})
def put_override(submission_id: int) -> tuple[Response, int]:
    """Override a graded submission's score, with a reason (kept in the audit log)."""
    user = _user(teacher=True)
    data = _body(rs.OverrideBody)
    submission = submissions.get(user, submission_id)
    reviews.set_override(user, submission, data["score"], data["reason"])
    return _reply(schemas.Record, submissions.record(submission))


@bp.delete("/submissions/<int:submission_id>/override")
@describe(auth="teacher", tags=("review",), query=rs.OverrideRemoval, returns=schemas.Record,
          ok_text="The record, with the graded score in force again",
          errors={404: "No such submission", 409: "No override, or not a graded submission",
                  422: "No reason"})
def delete_override(submission_id: int) -> tuple[Response, int]:
    """Remove an override: the graded score counts again (the removal is logged with its reason)."""
    user = _user(teacher=True)
    reason = _query(rs.OverrideRemoval)["reason"]
    if not reason and request.is_json:
        reason = _body(rs.OverrideRemoval)["reason"]
    submission = submissions.get(user, submission_id)
    reviews.clear_override(user, submission, reason)
    return _reply(schemas.Record, submissions.record(submission))


@bp.get("/submissions/<int:submission_id>/audit")
@describe(auth="teacher", tags=("review",), returns=rs.AuditLog,
          errors={404: "No such submission"})
def get_audit(submission_id: int) -> tuple[Response, int]:
    """Every change of the submission's score by a teacher: who, when, old, new, why."""
    user = _user(teacher=True)
    return _reply(rs.AuditLog, {"entries": reviews.audit_log(
        user, submissions.get(user, submission_id))})


@bp.get("/submissions/<int:submission_id>/comments")
@describe(tags=("review",), returns=rs.CommentList,
          errors={403: "Someone else's submission", 404: "No such submission"})
def list_comments(submission_id: int) -> tuple[Response, int]:
    """The review comments of a submission, thread by thread, each marked new or not for me."""
    user = _user()
    found = reviews.comments(user, submissions.get(user, submission_id))
    return _reply(rs.CommentList, {"comments": found,
                                   "unread": sum(1 for c in found if c.get("new"))})


@bp.post("/submissions/<int:submission_id>/comments")
@describe(tags=("review",), body=rs.NewComment, ok=201, returns=rs.Comment,
          ok_text="The comment, stored and sent live",
          errors={400: "The body is not a JSON object",
                  403: "Someone else's submission, or a learner starting a thread",
                  404: "No such submission or parent comment",
                  422: "Empty or too long, or no such file or line"})
def add_comment(submission_id: int) -> tuple[Response, int]:
    """Comment on a line (path + line; staff) or reply in a thread (parent; staff or the owner)."""
    user = _user()
    data = _body(rs.NewComment)
    comment = reviews.add_comment(user, submissions.get(user, submission_id), data["body"],
                                  path=data["path"], line=data["line"], parent_id=data["parent"])
    return _reply(rs.Comment, reviews.comment_dict(comment), 201)


@bp.post("/submissions/<int:submission_id>/comments/read")
@describe(tags=("review",), returns=rs.UnreadCount, ok_text="My unread comments left",
          errors={403: "Someone else's submission", 404: "No such submission"})
def read_comments(submission_id: int) -> tuple[Response, int]:
    """Mark every comment of a submission read (for me); answers my unread count left."""
    user = _user()
    return _reply(rs.UnreadCount, {"count": reviews.mark_read(
        user, submissions.get(user, submission_id))})


@bp.get("/comments/unread")
@describe(tags=("review",), returns=rs.Unread)
def unread_comments() -> tuple[Response, int]:
    """How many review comments on my submissions I have not read, per submission."""
    return _reply(rs.Unread, reviews.unread(_user()))
