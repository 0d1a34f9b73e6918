"""Database models (SQLAlchemy 2.0, typed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import ColumnElement
from werkzeug.security import check_password_hash, generate_password_hash

from . import statuses
from .extensions import db

ROLES = ("student", "teacher", "admin")
COURSE_ROLES = ("student", "assistant", "teacher")
COURSE_STAFF = ("assistant", "teacher")
FEEDBACK_MODES = ("full", "score", "none")
# What a submission is: code graded by the hidden tests, or answers to the challenge's quiz.
CODE, QUIZ = "code", "quiz"
KINDS = (CODE, QUIZ)


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
    # The code part's points (0 for a quiz-only challenge) and the quiz's (0 without a quiz):
    # a challenge is out of both, and solved when every part it has is at full points.
    points: Mapped[int] = mapped_column(default=100)
    quiz_points: Mapped[int] = mapped_column(default=0, server_default="0")
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

    @property
    def has_quiz(self) -> bool:
        """Does the challenge hold a quiz (`quiz.toml`)?"""
        return self.quiz_points > 0

    @property
    def quiz_only(self) -> bool:
        """A quiz and no hidden tests: learners answer questions and submit no code."""
        return self.has_quiz and self.points == 0

    @property
    def total_points(self) -> int:
        """What the challenge is out of: the code part plus the quiz."""
        return self.points + self.quiz_points

    def points_of(self, kind: str) -> int:
        """The maximum of one part: the code's or the quiz's."""
        return self.quiz_points if kind == QUIZ else self.points
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
    """A learner's files (or quiz answers) for one challenge and, once graded, the outcome.

    Quiz attempts are submissions too (`kind = "quiz"`), so they share the fair queue, the
    workers, the retries and the standings with code.
    """

    __tablename__ = "submissions"
    # The fair queue counts each learner's earlier submissions (services.waiting); the standings
    # take each learner's best per challenge and kind, joined back to the submissions that
    # reached it.
    __table_args__ = (Index("ix_submissions_user_submitted", "user_id", "submitted_at"),
                      Index("ix_submissions_challenge_kind", "challenge_id", "kind"),
                      Index("ix_submissions_user_challenge_score", "user_id", "challenge_id",
                            "score"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"),
                                              index=True)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenge_versions.id", ondelete="SET NULL"), default=None)
    kind: Mapped[str] = mapped_column(String(8), default=CODE, server_default=CODE)
    status: Mapped[str] = mapped_column(String(16), default=statuses.QUEUED, index=True)
    score: Mapped[int] = mapped_column(default=0)
    max_score: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    # The submitted files as a zip (learner files only, not the starter's; empty for a quiz).
    files: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # A quiz attempt: the answers by question id, and once graded the runner's QuizResult
    # (`questions`, `ignored`).
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    quiz_result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    timings: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    retry_at: Mapped[datetime | None] = mapped_column(default=None)
    # Course work: fixed from `submitted_at` when the row is stored, so a queue backlog at the
    # deadline never makes it late and a regrade keeps the credit it had.
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="SET NULL", name="fk_submissions_course_id"),
        default=None, index=True)
    late_hours: Mapped[float] = mapped_column(default=0.0)
    credit: Mapped[int] = mapped_column(default=100)

    user: Mapped[User] = relationship()
    challenge: Mapped[Challenge] = relationship()
    version: Mapped[ChallengeVersion | None] = relationship()
    course: Mapped[Course | None] = relationship()
    tests: Mapped[list[TestResultRow]] = relationship(
        back_populates="submission", cascade="all, delete-orphan",
        order_by="TestResultRow.position")
    # The review layer's table (grader/review_models.py, which imports this module).
    override: Mapped[ScoreOverride | None] = relationship(  # noqa: F821
        "ScoreOverride", cascade="all, delete-orphan", passive_deletes=True)

    @hybrid_property
    def effective_score(self) -> int:
        """The score that counts: a teacher's override when there is one, else the graded score.

        Also a SQL expression, for the standings and anything else that ranks or totals scores.
        """
        return self.override.score if self.override is not None else self.score

    @effective_score.inplace.expression
    @classmethod
    def _effective_score_expression(cls) -> ColumnElement[int]:
        # The table by name: importing the review models here would close an import loop.
        overrides = cls.metadata.tables["score_overrides"]
        overridden = (select(overrides.c.score)
                      .where(overrides.c.submission_id == cls.id)
                      .correlate_except(overrides).scalar_subquery())
        return func.coalesce(overridden, cls.score)

    @property
    def is_final(self) -> bool:
        """Has grading finished (whatever the verdict)?"""
        return statuses.is_final(self.status)

    @property
    def counts(self) -> bool:
        """Does this submission count for the leaderboard? (grader faults never do)"""
        return self.status in statuses.COUNTED

    @property
    def credited_score(self) -> int:
        """The effective score (an override's when there is one) after the late credit, rounded
        down."""
        return self.effective_score * self.credit // 100


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


class Course(db.Model):
    """A class with its own roster, assignments and time zone; learners join with its code."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[Membership]] = relationship(back_populates="course",
                                                     cascade="all, delete-orphan")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="course", cascade="all, delete-orphan",
        order_by="[Assignment.due_at, Assignment.id]")

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class Membership(db.Model):
    """A user's place in a course: student, assistant or teacher."""

    __tablename__ = "course_members"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="student")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship(back_populates="members")
    user: Mapped[User] = relationship()

    @property
    def is_staff(self) -> bool:
        """Assistants and teachers manage the course."""
        return self.role in COURSE_STAFF


class Assignment(db.Model):
    """A challenge placed in a course, with its times, late credit, cap and feedback rule."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("course_id", "challenge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"),
                                              index=True)
    opens_at: Mapped[datetime] = mapped_column()
    # None: no due time (an assignment placed from an LMS that gave none): never late.
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    closes_at: Mapped[datetime | None] = mapped_column(default=None)
    # [{"until_hours": 24, "credit": 80}, ...]: credit after the due time, step by step.
    late_policy: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    max_submissions: Mapped[int | None] = mapped_column(default=None)
    feedback_before_due: Mapped[str] = mapped_column(String(8), default="full")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship(back_populates="assignments")
    challenge: Mapped[Challenge] = relationship()
    extensions: Mapped[list[Extension]] = relationship(back_populates="assignment",
                                                       cascade="all, delete-orphan")


class Extension(db.Model):
    """A later due or closing time of one assignment for one learner."""

    __tablename__ = "extensions"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    closes_at: Mapped[datetime | None] = mapped_column(default=None)
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="extensions")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
