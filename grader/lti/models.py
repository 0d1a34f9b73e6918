"""What the LTI tool keeps: platforms, the people and courses they launch, line items, the
scores waiting to be passed back, and the launch values (nonces, launch data) every web process
shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Challenge, Course, User, utcnow

# A passback row is `pending` until the platform took the score (`sent`); `failed` once the
# retries are used up or the platform refused it for good (a teacher may send it again).
PENDING, SENT, FAILED = "pending", "sent", "failed"


class LtiPlatform(db.Model):
    """A registered LMS (issuer + client id) with its endpoints and deployments."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500), index=True)
    client_id: Mapped[str] = mapped_column(String(255))
    deployment_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    login_url: Mapped[str] = mapped_column(String(1000))
    token_url: Mapped[str] = mapped_column(String(1000))
    jwks_url: Mapped[str] = mapped_column(String(1000))
    # Origins the platform's pages were seen launching from (the Origin of a valid launch), so
    # the tool's pages may be framed there as well as at the issuer's and login URL's origins.
    frame_origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_launch_at: Mapped[datetime | None] = mapped_column(default=None)
    last_passback_at: Mapped[datetime | None] = mapped_column(default=None)

    def __repr__(self) -> str:
        return f"<LtiPlatform {self.issuer} {self.client_id}>"


class LtiAccount(db.Model):
    """A person of a platform (issuer + subject) and the account it signs in as."""

    __tablename__ = "lti_accounts"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"),
                                             index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_launch_at: Mapped[datetime | None] = mapped_column(default=None)

    platform: Mapped[LtiPlatform] = relationship()
    user: Mapped[User] = relationship()


class LtiContext(db.Model):
    """An LMS course (issuer + context id) and the course it is here, with its roster service."""

    __tablename__ = "lti_contexts"
    __table_args__ = (UniqueConstraint("issuer", "context_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500))
    context_id: Mapped[str] = mapped_column(String(255))
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"),
                                             index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    deployment_id: Mapped[str] = mapped_column(String(255), default="")
    title: Mapped[str] = mapped_column(String(255), default="")
    memberships_url: Mapped[str | None] = mapped_column(String(1000), default=None)
    roster_synced_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    platform: Mapped[LtiPlatform] = relationship()
    course: Mapped[Course] = relationship()


class LtiResourceLink(db.Model):
    """A placement of a challenge in an LMS course, and the line item its scores go to."""

    __tablename__ = "lti_resource_links"
    __table_args__ = (UniqueConstraint("context_id", "resource_link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_id: Mapped[int] = mapped_column(ForeignKey("lti_contexts.id", ondelete="CASCADE"),
                                            index=True)
    resource_link_id: Mapped[str] = mapped_column(String(255))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"),
                                              index=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    lineitem_url: Mapped[str | None] = mapped_column(String(1000), default=None)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    context: Mapped[LtiContext] = relationship()
    challenge: Mapped[Challenge] = relationship()


class LtiPassback(db.Model):
    """The latest credited score of one learner for one line item, until the platform has it."""

    __tablename__ = "lti_passbacks"
    __table_args__ = (UniqueConstraint("resource_link_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_link_id: Mapped[int] = mapped_column(
        ForeignKey("lti_resource_links.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(255))
    score_given: Mapped[int] = mapped_column(default=0)
    score_maximum: Mapped[int] = mapped_column(default=0)
    # When this score was reached: the AGS `timestamp` (platforms keep the latest one).
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    # Bumped by every new score, so a send that raced with a newer score does not mark it sent.
    revision: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    resource_link: Mapped[LtiResourceLink] = relationship()
    user: Mapped[User] = relationship()


class LtiStoredValue(db.Model):
    """PyLTI1p3's launch storage (nonces, state, launch data), shared by every web process."""

    __tablename__ = "lti_launch_values"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, default=None)
    expires_at: Mapped[datetime] = mapped_column(index=True)
