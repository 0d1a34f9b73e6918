"""What a valid launch (or a roster sync) links: the person to an account, the LMS course to a
course with a roster role, and the resource link to an assignment with its line item."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from pylti1p3.roles import DesignerRole, TeacherRole, TeachingAssistantRole
from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..models import Assignment, Challenge, Course, Membership, User, utcnow
from ..services import accounts, assignments, courses, deadlines
from ..services.errors import ServiceError
from .launch import AGS, CONTEXT, CUSTOM, DEPLOYMENT, NRPS, RESOURCE_LINK
from .models import LtiAccount, LtiContext, LtiPlatform, LtiResourceLink

log = logging.getLogger(__name__)
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def course_role(claims: Mapping[str, Any]) -> str:
    """The course role of the LTI roles: Instructor -> teacher, TeachingAssistant (and content
    developers) -> assistant, anyone else (Learner) -> student."""
    if TeacherRole(claims).check():
        return "teacher"
    if TeachingAssistantRole(claims).check() or DesignerRole(claims).check():
        return "assistant"
    return "student"


def _username_base(name: str, email: str, issuer: str, subject: str) -> str:
    for candidate in (name, email.split("@", 1)[0]):
        cleaned = re.sub(r"[^a-z0-9]+", ".", candidate.lower()).strip(".")[:30]
        if len(cleaned) >= 2:
            return cleaned
    return "lti-" + hashlib.sha256(f"{issuer} {subject}".encode()).hexdigest()[:10]


def _free_username(base: str) -> str:
    if accounts.by_username(base) is None:
        return base
    for number in range(2, 1000):
        candidate = f"{base}-{number}"
        if accounts.by_username(candidate) is None:
            return candidate
    return f"{base}-{secrets.token_hex(4)}"


def account(platform: LtiPlatform, subject: str, name: str = "", email: str = "") -> LtiAccount:
    """The account of a platform's person (issuer + subject), made on first sight.

    A new account has a name from the claims and no password: it signs in through the LMS only.
    """
    link = db.session.scalar(select(LtiAccount).where(LtiAccount.issuer == platform.issuer,
                                                      LtiAccount.subject == subject))
    name, email = (name or "").strip()[:200], (email or "").strip()[:320]
    if link is None:
        user = User(username=_free_username(_username_base(name, email, platform.issuer,
                                                           subject)),
                    role="student", password_hash="")
        link = LtiAccount(issuer=platform.issuer, subject=subject, platform=platform, user=user)
        db.session.add(link)
    link.name = name or link.name
    link.email = email or link.email
    return link


def person(platform: LtiPlatform, claims: Mapping[str, Any]) -> LtiAccount:
    """The launching person's account, with the name and e-mail of the claims."""
    subject = str(claims.get("sub") or "").strip()
    if not subject:
        raise ServiceError(400, "anonymous_launch",
                           "The LMS sent this launch without a user; open it as a signed-in "
                           "course member")
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part)
    link = account(platform, subject[:255], str(name or ""), str(claims.get("email") or ""))
    link.last_launch_at = utcnow()
    return link


def _slug(platform: LtiPlatform, context: Mapping[str, Any]) -> str:
    label = str(context.get("label") or context.get("id") or "course")
    words = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:50] or "course"
    base = f"lti-{platform.id}-{words}".strip("-")
    slug, number = base, 1
    while db.session.scalar(select(Course.id).where(Course.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


def context(platform: LtiPlatform, claims: Mapping[str, Any]) -> LtiContext | None:
    """The course of the launch's LMS context (issuer + context id), made on first launch."""
    data = claims.get(CONTEXT) or {}
    context_id = str(data.get("id") or "").strip()[:255]
    if not context_id:
        return None
    link = db.session.scalar(select(LtiContext).where(LtiContext.issuer == platform.issuer,
                                                      LtiContext.context_id == context_id))
    title = str(data.get("title") or data.get("label") or f"Course {context_id}").strip()[:200]
    if link is None:
        course = Course(slug=_slug(platform, data), title=title, time_zone="UTC",
                        join_code=courses.new_code())
        link = LtiContext(issuer=platform.issuer, context_id=context_id, platform=platform,
                          course=course)
        db.session.add(link)
    link.title = title
    link.deployment_id = str(claims.get(DEPLOYMENT) or link.deployment_id)[:255]
    memberships = (claims.get(NRPS) or {}).get("context_memberships_url")
    if memberships:
        link.memberships_url = str(memberships)[:1000]
    return link


def enrol(course: Course, user: User, role: str) -> Membership:
    """Put the person on the roster with the LMS's role (a course keeps one teacher)."""
    member = db.session.scalar(select(Membership).where(Membership.course_id == course.id,
                                                        Membership.user_id == user.id))
    if member is None:
        member = Membership(course=course, user=user, role=role)
        db.session.add(member)
    elif member.role != role:
        others = db.session.scalar(select(func.count(Membership.id)).where(
            Membership.course_id == course.id, Membership.role == "teacher",
            Membership.id != member.id)) or 0
        if member.role != "teacher" or others:
            member.role = role
    if role == "teacher" and course.created_by_id is None:
        course.created_by_id = user.id
    return member


def lms_due_time(claims: Mapping[str, Any]) -> datetime | None:
    """The due time the LMS put in the custom parameter `due_at`, if it gave one.

    Platforms fill it from a substitution variable (`$ResourceLink.submission.endDateTime`,
    `$Canvas.assignment.dueAt.iso8601`); one left unexpanded, or empty, means no due time.
    """
    value = str((claims.get(CUSTOM) or {}).get("due_at") or "").strip()
    if not value or value.startswith("$"):
        return None
    try:
        return deadlines.parse_time(value.replace("Z", "+00:00"), "due_at")
    except ServiceError as exc:
        log.warning("ignoring the LMS due time %r: %s", value, exc.message)
        return None


def challenge_named(claims: Mapping[str, Any]) -> Challenge | None:
    """The published challenge the custom parameter `challenge` names (None: none named)."""
    slug = str((claims.get(CUSTOM) or {}).get("challenge") or "").strip()
    if not slug:
        return None
    found = db.session.scalar(select(Challenge).where(Challenge.slug == slug))
    if found is None or not found.published:
        raise ServiceError(404, "unknown_challenge",
                           f"The LMS link names the challenge {slug!r}, which this server does "
                           "not publish; check the custom parameter challenge=<slug>")
    return found


def place(course: Course, challenge: Challenge, due_at: datetime | None) -> Assignment:
    """The course's assignment of the challenge, made if it is not one (due from the LMS, or
    none); a due time the LMS changed is followed, and credits recomputed."""
    assignment = assignments.for_challenge(course.id, challenge.id)
    now = clock.now()
    if assignment is None:
        opens = now if due_at is None or due_at > now else due_at - timedelta(minutes=1)
        assignment = Assignment(course=course, challenge=challenge, opens_at=opens, due_at=due_at,
                                late_policy=[], feedback_before_due="full")
        db.session.add(assignment)
        db.session.flush()
    elif due_at is not None and assignment.due_at != due_at:
        assignment.due_at = due_at
        assignment.opens_at = min(assignment.opens_at, due_at - timedelta(minutes=1))
        db.session.commit()
        assignments.recredit(assignment)
    return assignment


def resource_link(context_link: LtiContext, claims: Mapping[str, Any],
                  challenge: Challenge) -> LtiResourceLink | None:
    """The placement of the challenge in the LMS course, with the line item of the AGS claim."""
    link_id = str((claims.get(RESOURCE_LINK) or {}).get("id") or "").strip()[:255]
    if not link_id:
        return None
    row = db.session.scalar(select(LtiResourceLink).where(
        LtiResourceLink.context_id == context_link.id,
        LtiResourceLink.resource_link_id == link_id))
    if row is None:
        row = LtiResourceLink(context=context_link, resource_link_id=link_id,
                              challenge=challenge)
        db.session.add(row)
    row.challenge = challenge
    row.title = str((claims.get(RESOURCE_LINK) or {}).get("title") or challenge.title)[:255]
    endpoint = claims.get(AGS) or {}
    if endpoint.get("lineitem"):
        row.lineitem_url = str(endpoint["lineitem"])[:1000]
        row.scopes = [str(s) for s in endpoint.get("scope") or []]
    return row


def can_pass_back(row: LtiResourceLink | None) -> bool:
    """Does the LMS take scores for this link (a line item and the score scope)?"""
    return bool(row is not None and row.lineitem_url and SCORE_SCOPE in (row.scopes or []))
