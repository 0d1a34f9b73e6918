"""Database models (SQLAlchemy 2.0, typed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from . import statuses
from .extensions import db

ROLES = ("student", "teacher", "admin")


def utcnow() -> datetime:
    """The current time, timezone-naive UTC (what SQLite and PostgreSQL both store alike)."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso(moment: datetime | None) -> str | None:
    """A stored time as the ISO 8601 'Z' string of the result record."""
    if moment is None:
        return None
    return moment.replace(microsecond=(moment.microsecond // 1000) * 1000).isoformat(
        timespec="milliseconds") + "Z"


class User(UserMixin, db.Model):
    """A learner, a teacher or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="student")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of the login session's id: changing the password bumps it, which ends every other
    # session (and remember-me cookie) of the account.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user",
                                                   cascade="all, delete-orphan")

    def get_id(self) -> str:
        """Flask-Login's session id: the account and the session generation."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        """Store a salted hash, never the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Does the password match the stored hash?"""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_teacher(self) -> bool:
        """Teachers and admins may use the teacher tools."""
        return self.role in ("teacher", "admin")

    @property
    def is_admin(self) -> bool:
        """Admins may also change roles."""
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class ApiToken(db.Model):
    """A bearer token for the API and the CLI; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_active(self) -> bool:
        """Neither revoked nor expired."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > utcnow()


class Challenge(db.Model):
    """A challenge as learners see it; its files live in versions."""

    __tablename__ = "challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    concepts: Mapped[list[str]] = mapped_column(JSON, default=list)
    difficulty: Mapped[int] = mapped_column(default=1)
    points: Mapped[int] = mapped_column(default=100)
    order: Mapped[int] = mapped_column(default=0)
    track: Mapped[str] = mapped_column(String(16), default="core", server_default="core")
    published: Mapped[bool] = mapped_column(default=False)
    # Who may replace it: the teacher who uploaded it first (admins may replace any; bundled,
    # synced challenges have no owner).
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenge_versions.id", use_alter=True, name="fk_challenge_current_version",
                   ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    current_version: Mapped[ChallengeVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True)
    versions: Mapped[list[ChallengeVersion]] = relationship(
        back_populates="challenge", foreign_keys="ChallengeVersion.challenge_id",
        order_by="ChallengeVersion.number")

    def __repr__(self) -> str:
        return f"<Challenge {self.slug}>"


class ChallengeVersion(db.Model):
    """One uploaded or synced state of a challenge folder, with its validation report."""

    __tablename__ = "challenge_versions"
    __table_args__ = (UniqueConstraint("challenge_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"),
                                              index=True)
    number: Mapped[int] = mapped_column()
    folder: Mapped[str] = mapped_column(String(500))
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    # The folder as a zip, so a worker on another host can rebuild it from the database.
    archive: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    valid: Mapped[bool] = mapped_column(default=False)
    # An upload is checked by a grading worker: queued -> running -> done (then `valid` says how).
    state: Mapped[str] = mapped_column(String(16), default="done", server_default="done",
                                       index=True)
    check_started_at: Mapped[datetime | None] = mapped_column(default=None)
    checked_at: Mapped[datetime | None] = mapped_column(default=None)
    source: Mapped[str] = mapped_column(String(16), default="sync")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    challenge: Mapped[Challenge] = relationship(back_populates="versions",
                                                foreign_keys=[challenge_id])


class Submission(db.Model):
    """A learner's files for one challenge and, once graded, the outcome."""

    __tablename__ = "submissions"
    # The fair queue counts each learner's earlier submissions (services.waiting); the standings
    # join each learner's best score per challenge back to the submissions that reached it.
    __table_args__ = (Index("ix_submissions_user_submitted", "user_id", "submitted_at"),
                      Index("ix_submissions_user_challenge_score", "user_id", "challenge_id",
                            "score"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"),
                                              index=True)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenge_versions.id", ondelete="SET NULL"), default=None)
    status: Mapped[str] = mapped_column(String(16), default=statuses.QUEUED, index=True)
    score: Mapped[int] = mapped_column(default=0)
    max_score: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    # The submitted files as a zip (learner files only, not the starter's).
    files: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    timings: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    retry_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship()
    challenge: Mapped[Challenge] = relationship()
    version: Mapped[ChallengeVersion | None] = relationship()
    tests: Mapped[list[TestResultRow]] = relationship(
        back_populates="submission", cascade="all, delete-orphan",
        order_by="TestResultRow.position")

    @property
    def is_final(self) -> bool:
        """Has grading finished (whatever the verdict)?"""
        return statuses.is_final(self.status)

    @property
    def counts(self) -> bool:
        """Does this submission count for the leaderboard? (grader faults never do)"""
        return self.status in statuses.COUNTED


class TestResultRow(db.Model):
    """One hidden test's result for one submission, as stored (the runner's `TestResult`)."""

    __tablename__ = "test_outcomes"
    __table_args__ = (UniqueConstraint("submission_id", "test_id"),)
    __test__ = False  # not a pytest test class

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    test_id: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16))
    points: Mapped[int] = mapped_column(default=0)
    max_points: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[int] = mapped_column(default=0)

    submission: Mapped[Submission] = relationship(back_populates="tests")

    def to_dict(self) -> dict[str, Any]:
        """The test row of the result record."""
        return {"id": self.test_id, "title": self.title, "status": self.status,
                "points": self.points, "max_points": self.max_points,
                "message": self.message, "duration_ms": self.duration_ms}


class ServiceState(db.Model):
    """Small shared facts every process must agree on (e.g. 'grading is paused')."""

    __tablename__ = "service_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
