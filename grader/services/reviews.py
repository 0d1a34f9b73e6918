"""Code review on submissions: line comments in threads, read marks, and score overrides.

Staff (teachers) comment on a line of a submitted file and may override a submission's score
with a reason; every override and removal is kept in the audit log. The learner reads the
comments on their submission and replies in a thread. What changed is announced through
`signals`; `live` turns it into Socket.IO events.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import and_, func, select

from .. import signals, statuses
from ..extensions import db
from ..models import Submission, User, iso, utcnow
from ..review_models import CommentRead, ReviewComment, ScoreAudit, ScoreOverride
from . import leaderboard, submissions
from .errors import ServiceError, forbidden, not_found

MAX_BODY = 5000
MAX_REASON = 2000


def _app() -> Any:
    return current_app._get_current_object()  # type: ignore[attr-defined]


def is_staff(user: User | None, submission: Submission) -> bool:
    """May this person review the submission (comment on any line, override its score)?"""
    return bool(user is not None and user.is_authenticated and user.is_teacher)


# -- score overrides ---------------------------------------------------------------------------

def override_dict(submission: Submission) -> dict[str, Any] | None:
    """The record's `override`: {score, reason, by, at}, or None when the graded score counts."""
    return submissions.override_of(submission)


def _overridable(user: User, submission: Submission) -> None:
    if not is_staff(user, submission):
        raise forbidden("Only teachers can change a submission's score")
    if submission.status not in statuses.COUNTED:
        raise ServiceError(409, "not_graded",
                           f"Submission {submission.id} is {statuses.label(submission.status)}: "
                           "only a graded submission's score can be overridden"
                           + (" (regrade it instead)" if submission.is_final else ""))


def _reason(reason: Any) -> str:
    text = str(reason or "").strip()
    if not text:
        raise ServiceError(422, "reason_required", "Say why the score changes: a reason is required")
    if len(text) > MAX_REASON:
        raise ServiceError(422, "reason_too_long",
                           f"The reason is {len(text)} characters long; at most {MAX_REASON}")
    return text


def _score_changed(submission: Submission, old: int) -> None:
    app = _app()
    signals.score_overridden.send(app, submission=submission, old=old,
                                  new=submission.effective_score)
    signals.submission_changed.send(app, submission=submission)
    signals.standings_changed.send(app, rows=leaderboard.standings())


def set_override(user: User, submission: Submission, score: int, reason: str) -> ScoreOverride:
    """Put a teacher's score in force for a graded submission (0..max_score), with a reason."""
    _overridable(user, submission)
    text = _reason(reason)
    if isinstance(score, bool) or not isinstance(score, int):
        raise ServiceError(422, "bad_score", "The score must be a whole number")
    if not 0 <= score <= submission.max_score:
        raise ServiceError(422, "bad_score",
                           f"The score must be between 0 and {submission.max_score}, got {score}")
    old = submission.effective_score
    found = submission.override or ScoreOverride(submission_id=submission.id)
    found.score, found.reason, found.by_id, found.at = score, text, user.id, utcnow()
    submission.override = found
    db.session.add(ScoreAudit(submission_id=submission.id, actor_id=user.id, old_score=old,
                              new_score=score, graded_score=submission.score, reason=text))
    db.session.commit()
    _score_changed(submission, old)
    return found


def clear_override(user: User, submission: Submission, reason: str) -> None:
    """Put the graded score back in force; the removal is logged with its reason."""
    _overridable(user, submission)
    text = _reason(reason)
    if submission.override is None:
        raise ServiceError(409, "no_override",
                           f"Submission {submission.id} has no override to remove")
    old = submission.override.score
    submission.override = None
    db.session.add(ScoreAudit(submission_id=submission.id, actor_id=user.id, old_score=old,
                              new_score=None, graded_score=submission.score, reason=text))
    db.session.commit()
    _score_changed(submission, old)


def audit_log(user: User, submission: Submission) -> list[dict[str, Any]]:
    """Every score change of a submission by a person, oldest first (staff only)."""
    if not is_staff(user, submission):
        raise forbidden("Only teachers can read the audit log")
    rows = db.session.scalars(select(ScoreAudit).where(ScoreAudit.submission_id == submission.id)
                              .order_by(ScoreAudit.id))
    return [{"id": r.id, "at": iso(r.at), "by": r.actor.username if r.actor else None,
             "old": r.old_score, "new": r.new_score, "graded": r.graded_score,
             "reason": r.reason} for r in rows]


# -- comments ----------------------------------------------------------------------------------

def _seen_id(user: User, submission_id: int) -> int:
    mark = db.session.get(CommentRead, (user.id, submission_id))
    return mark.seen_id if mark else 0


def comment_dict(comment: ReviewComment, seen_id: int | None = None,
                 viewer: User | None = None) -> dict[str, Any]:
    """A comment as the API, the pages and the live events show it."""
    author = comment.author
    data: dict[str, Any] = {
        "id": comment.id, "submission_id": comment.submission_id, "parent": comment.parent_id,
        "path": comment.path, "line": comment.line, "body": comment.body,
        "author": author.username if author else None,
        "staff": bool(author is not None and author.is_teacher),
        "created_at": iso(comment.created_at)}
    if seen_id is not None:
        data["new"] = comment.id > seen_id and (viewer is None or comment.author_id != viewer.id)
    return data


def comments(user: User, submission: Submission) -> list[dict[str, Any]]:
    """The comments of a submission in thread order (each thread: its first comment, replies)."""
    if not submissions.visible_to(user, submission):
        raise forbidden("This submission belongs to someone else")
    rows = list(db.session.scalars(select(ReviewComment)
                                   .where(ReviewComment.submission_id == submission.id)
                                   .order_by(ReviewComment.id)))
    seen = _seen_id(user, submission.id)
    threads: dict[int, list[ReviewComment]] = {}
    for row in rows:
        threads.setdefault(row.parent_id or row.id, []).append(row)
    ordered = sorted(threads.values(), key=lambda t: (t[0].path, t[0].line, t[0].id))
    return [comment_dict(c, seen, user) for thread in ordered for c in thread]


def _line_count(submission: Submission, path: str) -> int:
    files = submissions.files_of(submission)
    if path not in files:
        raise ServiceError(422, "unknown_file",
                           f"Submission {submission.id} has no file {path!r}; its files: "
                           f"{', '.join(sorted(files)) or 'none'}")
    try:
        text = files[path].decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceError(422, "binary_file", f"{path} is not a text file") from None
    return max(1, len(text.splitlines()))


def add_comment(user: User, submission: Submission, body: str, path: str | None = None,
                line: int | None = None, parent_id: int | None = None) -> ReviewComment:
    """Comment on (path, line), or reply in a thread (`parent_id`).

    Staff may start a thread on any line; the learner who owns the submission may reply.
    """
    staff = is_staff(user, submission)
    if not staff and submission.user_id != user.id:
        raise forbidden("This submission belongs to someone else")
    text = str(body or "").strip()
    if not text:
        raise ServiceError(422, "empty_comment", "The comment is empty")
    if len(text) > MAX_BODY:
        raise ServiceError(422, "comment_too_long",
                           f"The comment is {len(text)} characters long; at most {MAX_BODY}")
    if parent_id is not None:
        parent = db.session.get(ReviewComment, parent_id)
        if parent is None or parent.submission_id != submission.id:
            raise not_found(f"Comment {parent_id} on submission {submission.id}")
        root_id = parent.parent_id or parent.id
        root = db.session.get(ReviewComment, root_id)
        path, line = root.path, root.line
    else:
        if not staff:
            raise forbidden("Learners reply to a reviewer's comment; only staff start a thread")
        if not path or line is None:
            raise ServiceError(422, "no_line", "Name the file (path) and the line to comment on")
        count = _line_count(submission, path)
        if not 1 <= line <= count:
            raise ServiceError(422, "bad_line",
                               f"{path} has lines 1 to {count}; there is no line {line}")
        root_id = None
    comment = ReviewComment(submission_id=submission.id, author_id=user.id, parent_id=root_id,
                            path=path, line=line, body=text)
    db.session.add(comment)
    db.session.commit()
    # Writing in a thread means having read it: one's own comment is never news to oneself.
    mark_read(user, submission)
    signals.review_commented.send(_app(), submission=submission,
                                  comment=comment_dict(comment))
    if submission.user_id != user.id:
        signals.review_unread.send(_app(), user_id=submission.user_id,
                                   count=unread_count(submission.user))
    return comment


def mark_read(user: User, submission: Submission, quiet: bool = False) -> int:
    """Everything on this submission is read by `user` now; returns their unread count left."""
    newest = db.session.scalar(select(func.max(ReviewComment.id))
                               .where(ReviewComment.submission_id == submission.id)) or 0
    mark = db.session.get(CommentRead, (user.id, submission.id))
    changed = mark is None or mark.seen_id < newest
    if mark is None:
        mark = CommentRead(user_id=user.id, submission_id=submission.id, seen_id=newest)
        db.session.add(mark)
    mark.seen_id = max(mark.seen_id, newest)
    db.session.commit()
    left = unread_count(user)
    if changed and not quiet:
        signals.review_unread.send(_app(), user_id=user.id, count=left)
    return left


def _unread_query(user: User) -> Any:
    """Comments by others on this learner's own submissions, newer than what they have read."""
    return (select(ReviewComment.submission_id, func.count(ReviewComment.id).label("count"))
            .join(Submission, Submission.id == ReviewComment.submission_id)
            .outerjoin(CommentRead, and_(CommentRead.submission_id == ReviewComment.submission_id,
                                         CommentRead.user_id == user.id))
            .where(Submission.user_id == user.id,
                   ReviewComment.author_id.is_distinct_from(user.id),
                   ReviewComment.id > func.coalesce(CommentRead.seen_id, 0))
            .group_by(ReviewComment.submission_id))


def unread_count(user: User | None) -> int:
    """How many comments on my submissions I have not read (the navigation badge)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    counts = db.session.execute(_unread_query(user)).all()
    return sum(int(row.count) for row in counts)


def unread(user: User) -> dict[str, Any]:
    """My unread comments: the total and, per submission, how many and of which challenge."""
    rows = db.session.execute(_unread_query(user).order_by(ReviewComment.submission_id.desc()))
    items = []
    for submission_id, count in rows:
        submission = db.session.get(Submission, submission_id)
        items.append({"id": submission_id, "challenge": submission.challenge.slug,
                      "count": int(count)})
    return {"count": sum(item["count"] for item in items), "submissions": items}
