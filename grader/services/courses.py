"""Courses: creation, join codes, members and their course roles, who may do what.

A server teacher creates a course and becomes its teacher; learners join with the course's
code. Course staff (teachers and assistants) see its submissions and gradebook; only its
teachers change its assignments, settings and roster. Admins act as a teacher of every course.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import COURSE_ROLES, COURSE_STAFF, Course, Membership, User
from . import accounts, deadlines
from .errors import ServiceError, forbidden, not_found

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
# No 0/O or 1/I/L: codes are read out in class and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# Words the pages and the API use after /courses/.
RESERVED_SLUGS = {"join", "new"}


def new_code() -> str:
    """A fresh random join code (about 40 bits: unguessable within the API's rate limits)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Course.id).where(Course.join_code == code)) is None:
            return code


def normalize_code(code: str) -> str:
    """What a person typed, as stored: capitals, no spaces or dashes."""
    return re.sub(r"[\s-]", "", code or "").upper()


def _title(title: str | None) -> str:
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ServiceError(422, "invalid_title", "The course title must be 1-200 characters")
    return title


def create(user: User, slug: str, title: str, time_zone: str | None = None) -> Course:
    """A server teacher opens a course and becomes its teacher; returns it with its code."""
    if not user.is_teacher:
        raise forbidden("Only teachers can create courses")
    slug = (slug or "").strip()
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        raise ServiceError(422, "invalid_slug",
                           "Course slugs are 1-80 characters: lowercase letters, digits and "
                           "'-' (not at the ends), e.g. 'flask-autumn-2026'")
    time_zone = (time_zone or "UTC").strip()
    deadlines.zone(time_zone)
    course = Course(slug=slug, title=_title(title), time_zone=time_zone, join_code=new_code(),
                    created_by_id=user.id)
    course.members.append(Membership(user=user, role="teacher"))
    db.session.add(course)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(409, "slug_taken", f"A course {slug!r} already exists") from None
    return course


def find(slug: str) -> Course:
    """The course with this slug, or a 404."""
    course = db.session.scalar(select(Course).where(Course.slug == (slug or "").strip()))
    if course is None:
        raise not_found(f"Course {slug!r}")
    return course


def membership(course: Course, user: User | None) -> Membership | None:
    """The user's row in the course's roster, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Membership).where(Membership.course_id == course.id,
                                                      Membership.user_id == user.id))


def role_of(course: Course, user: User | None) -> str | None:
    """The user's course role: student, assistant or teacher (admins: teacher), or None."""
    member = membership(course, user)
    if member is not None:
        return "teacher" if user.is_admin else member.role
    return "teacher" if user is not None and getattr(user, "is_admin", False) else None


def for_member(user: User, slug: str) -> tuple[Course, str]:
    """A course the user is in, with their role: 404 if it does not exist, 403 if not theirs."""
    course = find(slug)
    role = role_of(course, user)
    if role is None:
        raise forbidden(f"You are not a member of the course {slug!r}; join it with its code")
    return course, role


def for_staff(user: User, slug: str) -> tuple[Course, str]:
    """A course the user helps run (teacher or assistant), else 403."""
    course, role = for_member(user, slug)
    if role not in COURSE_STAFF:
        raise forbidden(f"Only the staff of {slug!r} can do this")
    return course, role


def for_teacher(user: User, slug: str) -> Course:
    """A course the user teaches, else 403 (assistants may look, not change)."""
    course, role = for_member(user, slug)
    if role != "teacher":
        raise forbidden(f"Only the teachers of {slug!r} can change it")
    return course


def is_staff(user: User | None, course_id: int | None) -> bool:
    """Does the user help run this course (or is an admin)?"""
    if user is None or course_id is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return db.session.scalar(select(Membership.id).where(
        Membership.course_id == course_id, Membership.user_id == user.id,
        Membership.role.in_(COURSE_STAFF))) is not None


def join(user: User, code: str) -> tuple[Course, str]:
    """A learner joins with the code; joining a course one is already in changes nothing."""
    code = normalize_code(code)
    if not code:
        raise ServiceError(422, "invalid_code", "Give the course's join code")
    course = db.session.scalar(select(Course).where(Course.join_code == code))
    if course is None:
        raise ServiceError(404, "invalid_code",
                           f"No course has the join code {code!r}; check it with your teacher")
    existing = membership(course, user)
    if existing is not None:
        return course, existing.role
    db.session.add(Membership(course=course, user=user, role="student"))
    try:
        db.session.commit()
    except IntegrityError:  # the same learner joining twice at once
        db.session.rollback()
    return course, role_of(course, user) or "student"


def regenerate_code(user: User, slug: str) -> Course:
    """Staff replace the join code (the old one stops working; members stay)."""
    course, _ = for_staff(user, slug)
    course.join_code = new_code()
    db.session.commit()
    return course


def update(user: User, slug: str, *, title: str | None = None,
           time_zone: str | None = None) -> Course:
    """Teachers rename the course or change its time zone (stored times stay the same)."""
    course = for_teacher(user, slug)
    if title is not None:
        course.title = _title(title)
    if time_zone is not None:
        deadlines.zone(time_zone)
        course.time_zone = time_zone.strip()
    db.session.commit()
    return course


def list_for(user: User) -> list[tuple[Course, str]]:
    """The courses the user is in, with their role, by title."""
    rows = db.session.execute(
        select(Course, Membership.role).join(Membership, Membership.course_id == Course.id)
        .where(Membership.user_id == user.id).order_by(func.lower(Course.title), Course.slug))
    return [(course, "teacher" if user.is_admin else role) for course, role in rows]


def members(course: Course) -> list[Membership]:
    """The roster: teachers, then assistants, then students, each by name."""
    order = {"teacher": 0, "assistant": 1, "student": 2}
    rows = list(db.session.scalars(select(Membership).where(Membership.course_id == course.id)))
    return sorted(rows, key=lambda m: (order.get(m.role, 3), m.user.username.lower()))


def students(course: Course) -> list[User]:
    """The course's learners (its staff are not graded), by name."""
    return [m.user for m in members(course) if m.role == "student"]


def set_member(actor: User, slug: str, username: str, role: str) -> Membership:
    """Teachers add someone to the roster or change their role (e.g. make an assistant)."""
    course = for_teacher(actor, slug)
    if role not in COURSE_ROLES:
        raise ServiceError(422, "invalid_role", f"role must be one of {', '.join(COURSE_ROLES)}")
    user = accounts.by_username(username or "")
    if user is None:
        raise not_found(f"User {username!r}")
    member = membership(course, user)
    if member is None:
        member = Membership(course=course, user=user, role=role)
        db.session.add(member)
    else:
        if member.role == "teacher" and role != "teacher":
            _keep_a_teacher(course, member)
        member.role = role
    db.session.commit()
    return member


def remove_member(actor: User, slug: str, username: str) -> None:
    """Teachers take someone off the roster (their submissions are kept)."""
    course = for_teacher(actor, slug)
    user = accounts.by_username(username or "")
    member = membership(course, user) if user is not None else None
    if member is None:
        raise not_found(f"{username!r} in the course {slug!r}")
    if member.role == "teacher":
        _keep_a_teacher(course, member)
    db.session.delete(member)
    db.session.commit()


def _keep_a_teacher(course: Course, leaving: Membership) -> None:
    others = db.session.scalar(select(func.count(Membership.id)).where(
        Membership.course_id == course.id, Membership.role == "teacher",
        Membership.id != leaving.id)) or 0
    if not others:
        raise ServiceError(409, "last_teacher",
                           "A course keeps at least one teacher; make someone else teacher first")
