"""Names and Role Provisioning: the course staff sync the roster from the LMS on request.

Every active member of the LMS course gets an account (linked by issuer + subject, as a launch
would) and the course role of their LMS roles; members the LMS lists as inactive or deleted
leave the roster (their submissions stay). A course keeps at least one teacher.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy import func, select

from ..extensions import db
from ..models import Course, Membership, User, utcnow
from ..services import courses
from ..services.errors import ServiceError
from . import links, platforms
from .launch import CLAIM
from .models import LtiAccount, LtiContext
from .storage import TimeoutSession

MEMBERSHIP_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


@dataclass
class SyncReport:
    """What a roster sync changed."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    members: int = 0


def context_of(course: Course) -> LtiContext | None:
    """The LMS course this course is linked to, if any."""
    return db.session.scalar(select(LtiContext).where(LtiContext.course_id == course.id))


def _fetch(link: LtiContext) -> list[dict]:
    connector = ServiceConnector(platforms.registration(link.platform), TimeoutSession())
    service = NamesRolesProvisioningService(
        connector, {"context_memberships_url": link.memberships_url or ""})
    try:
        return list(service.get_members())
    except LtiServiceException as exc:
        raise ServiceError(502, "lms_refused",
                           f"The LMS refused the roster request: {exc.response.status_code} "
                           f"{(exc.response.text or '')[:200]}") from None
    except requests.RequestException as exc:
        raise ServiceError(502, "lms_unreachable",
                           f"The LMS did not answer the roster request: {exc}") from None
    except (LtiException, ValueError, KeyError) as exc:
        raise ServiceError(502, "lms_refused", f"The LMS's roster answer was not usable: {exc}") \
            from None


def sync(actor: User, course_slug: str) -> SyncReport:
    """Course staff bring the roster in line with the LMS's membership list."""
    course, _ = courses.for_staff(actor, course_slug)
    link = context_of(course)
    if link is None or not link.memberships_url:
        raise ServiceError(409, "no_roster_service",
                           "This course has no LMS roster service: launch it once from an LMS "
                           "with Names and Role Provisioning enabled")
    report = SyncReport()
    for member in _fetch(link):
        subject = str(member.get("user_id") or "").strip()[:255]
        if not subject:
            continue
        report.members += 1
        role = links.course_role({CLAIM + "roles": member.get("roles") or []})
        active = str(member.get("status") or "Active") == "Active"
        existing = db.session.scalar(select(LtiAccount).where(
            LtiAccount.issuer == link.issuer, LtiAccount.subject == subject))
        if not active:
            if existing is not None and _leave(course, existing.user):
                report.removed += 1
            continue
        name = member.get("name") or " ".join(
            p for p in (member.get("given_name"), member.get("family_name")) if p)
        account = links.account(link.platform, subject, str(name or ""),
                                str(member.get("email") or ""))
        db.session.flush()
        before = db.session.scalar(select(Membership.role).where(
            Membership.course_id == course.id, Membership.user_id == account.user_id))
        links.enrol(course, account.user, role)
        if before is None:
            report.added += 1
        elif before != role:
            report.updated += 1
    link.roster_synced_at = utcnow()
    db.session.commit()
    return report


def _leave(course: Course, user: User) -> bool:
    member = db.session.scalar(select(Membership).where(Membership.course_id == course.id,
                                                        Membership.user_id == user.id))
    if member is None:
        return False
    if member.role == "teacher" and not (db.session.scalar(select(func.count(Membership.id)).where(
            Membership.course_id == course.id, Membership.role == "teacher",
            Membership.id != member.id)) or 0):
        return False
    db.session.delete(member)
    return True
