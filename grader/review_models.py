"""Models of the review layer: score overrides and their audit log, line comments, similarity runs.

They live beside `models.py` so the review tables can change without touching the core ones;
the application imports them with the services. `Submission.effective_score` reads the
`score_overrides` table and `Submission.override` is a `ScoreOverride`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models import Challenge, Submission, User, utcnow

SIMILARITY_STATES = ("queued", "running", "done", "failed")


class ScoreOverride(db.Model):
    """A teacher's score for a submission, in force instead of the graded one."""

    __tablename__ = "score_overrides"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                              default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    by: Mapped[User | None] = relationship()


class ScoreAudit(db.Model):
    """One change of a submission's score by a person: who, when, old, new (None: removed), why."""

    __tablename__ = "score_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    old_score: Mapped[int] = mapped_column()
    new_score: Mapped[int | None] = mapped_column(default=None)
    graded_score: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)

    actor: Mapped[User | None] = relationship()


class ReviewComment(db.Model):
    """A comment on one line of one submitted file, or a reply in its thread."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  default=None)
    # Replies point to the thread's first comment and repeat its file and line.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_comments.id", ondelete="CASCADE"), default=None, index=True)
    path: Mapped[str] = mapped_column(String(300))
    line: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()
    submission: Mapped[Submission] = relationship()


class CommentRead(db.Model):
    """How far a person has read the comments of a submission (the newest comment id seen)."""

    __tablename__ = "review_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    seen_id: Mapped[int] = mapped_column(Integer, default=0)


class SimilarityRun(db.Model):
    """One similarity computation of a challenge: its progress, then its pairs (the cache).

    `inputs` names what it was computed from (each learner's best submission and the starter);
    a run whose inputs differ from the current ones is stale.
    """

    __tablename__ = "similarity_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"),
                                              index=True)
    inputs: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    submissions: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    pairs: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None, deferred=True)

    challenge: Mapped[Challenge] = relationship()
