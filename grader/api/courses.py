"""The course API: courses and join codes, members, assignments, extensions, gradebook.

Thin views over `services.courses`, `services.assignments`, `services.gradebook`: every rule
(who may do what, times, credit) lives there, shared with the pages and the CLI.
"""

from __future__ import annotations

from flask import Response

from ..models import Extension, Membership, iso
from ..services import assignments, courses, deadlines, gradebook, leaderboard
from . import course_schemas as cs
from .base import bp
from .routes import _body, _query, _reply, _user
from .spec import describe

STAFF_ONLY = {403: "Not a member, or not staff of the course", 404: "No such course"}
TEACHER_ONLY = {403: "Not a teacher of the course", 404: "No such course"}


def _course_info(slug: str) -> tuple[Response, int]:
    user = _user()
    course, role = courses.for_member(user, slug)
    return _reply(cs.CourseInfo, gradebook.course_info(course, role))


@bp.post("/courses")
@describe(auth="teacher", tags=("courses",), body=cs.CourseCreate, ok=201,
          returns=cs.CourseInfo, ok_text="Created; the answer carries the join code",
          errors={409: "The slug is taken", 422: "Invalid slug, title or time zone"})
def create_course() -> tuple[Response, int]:
    """Create a course; I become its teacher. The answer has its join code."""
    user = _user(teacher=True)
    data = _body(cs.CourseCreate)
    course = courses.create(user, data["slug"], data["title"], data.get("time_zone"))
    return _reply(cs.CourseInfo, gradebook.course_info(course, "teacher"), 201)


@bp.get("/courses")
@describe(tags=("courses",), returns=cs.CourseList)
def list_courses() -> tuple[Response, int]:
    """The courses I am in, with my role in each."""
    user = _user()
    return _reply(cs.CourseList, {"courses": [gradebook.course_info(course, role)
                                              for course, role in courses.list_for(user)]})


@bp.post("/courses/join")
@describe(tags=("courses",), body=cs.JoinRequest, returns=cs.CourseInfo,
          ok_text="Joined (or already a member)",
          errors={404: "No course has this code", 422: "No code given"})
def join_course() -> tuple[Response, int]:
    """Join a course with its code."""
    user = _user()
    course, role = courses.join(user, _body(cs.JoinRequest)["code"])
    return _reply(cs.CourseInfo, gradebook.course_info(course, role))


@bp.get("/courses/<slug>")
@describe(tags=("courses",), returns=cs.CourseDetail,
          errors={403: "Not a member of the course", 404: "No such course"})
def get_course(slug: str) -> tuple[Response, int]:
    """A course: its assignments with my own dates and my credited scores.

    Learners see the assignments that have opened; staff see all of them.
    """
    user = _user()
    course, role = courses.for_member(user, slug)
    return _reply(cs.CourseDetail, gradebook.course_view(user, course, role))


@bp.patch("/courses/<slug>")
@describe(tags=("courses",), body=cs.CourseEdit, returns=cs.CourseInfo,
          errors={**TEACHER_ONLY, 422: "Invalid title or time zone"})
def edit_course(slug: str) -> tuple[Response, int]:
    """Rename a course or change its time zone (course teachers)."""
    user = _user()
    data = _body(cs.CourseEdit)
    courses.update(user, slug, title=data.get("title"), time_zone=data.get("time_zone"))
    return _course_info(slug)


@bp.post("/courses/<slug>/code")
@describe(tags=("courses",), returns=cs.CourseInfo, ok_text="The course with its new code",
          errors=STAFF_ONLY)
def regenerate_code(slug: str) -> tuple[Response, int]:
    """Replace the join code (course staff); the old code stops working."""
    courses.regenerate_code(_user(), slug)
    return _course_info(slug)


def _member(member: Membership) -> dict[str, str | None]:
    return {"user": member.user.username, "role": member.role, "joined_at": iso(member.joined_at)}


@bp.get("/courses/<slug>/members")
@describe(tags=("courses",), returns=cs.MemberList, errors=STAFF_ONLY)
def list_members(slug: str) -> tuple[Response, int]:
    """The roster: teachers, assistants, students (course staff)."""
    course, _ = courses.for_staff(_user(), slug)
    return _reply(cs.MemberList, {"members": [_member(m) for m in courses.members(course)]})


@bp.put("/courses/<slug>/members/<username>")
@describe(tags=("courses",), body=cs.MemberPut, returns=cs.MemberInfo,
          errors={**TEACHER_ONLY, 404: "No such course or user",
                  409: "The course would have no teacher left"})
def put_member(slug: str, username: str) -> tuple[Response, int]:
    """Add someone to the roster or change their role (course teachers)."""
    member = courses.set_member(_user(), slug, username, _body(cs.MemberPut)["role"])
    return _reply(cs.MemberInfo, _member(member))


@bp.delete("/courses/<slug>/members/<username>")
@describe(tags=("courses",), returns=cs.Removed,
          errors={**TEACHER_ONLY, 404: "Not in the course",
                  409: "The course would have no teacher left"})
def remove_member(slug: str, username: str) -> tuple[Response, int]:
    """Take someone off the roster (course teachers); their submissions are kept."""
    courses.remove_member(_user(), slug, username)
    return _reply(cs.Removed, {"removed": True})


@bp.put("/courses/<slug>/assignments/<challenge>")
@describe(tags=("courses",), body=cs.AssignmentPut, returns=cs.AssignmentInfo,
          ok_text="The assignment as stored",
          errors={**TEACHER_ONLY, 404: "No such course or challenge",
                  422: "A time without a zone, dates out of order, a bad late policy"})
def put_assignment(slug: str, challenge: str) -> tuple[Response, int]:
    """Place a challenge in the course, or change its assignment (course teachers).

    Fields left out keep their value. Credits already given are recomputed from each
    submission's own `submitted_at` under the new rules.
    """
    assignment = assignments.put(_user(), slug, challenge, _body(cs.AssignmentPut))
    return _reply(cs.AssignmentInfo, gradebook.assignment_info(assignment))


@bp.delete("/courses/<slug>/assignments/<challenge>")
@describe(tags=("courses",), returns=cs.Removed,
          errors={**TEACHER_ONLY, 404: "No such course or assignment"})
def remove_assignment(slug: str, challenge: str) -> tuple[Response, int]:
    """Take a challenge out of the course (course teachers); submissions are kept."""
    assignments.remove(_user(), slug, challenge)
    return _reply(cs.Removed, {"removed": True})


def _extension(extension: Extension) -> dict[str, str | None]:
    assignment = extension.assignment
    dates = deadlines.dates_for(assignment, extension)
    return {"course": assignment.course.slug, "challenge": assignment.challenge.slug,
            "user": extension.user.username, "due_at": iso(dates.due_at),
            "closes_at": iso(dates.closes_at), "default_due_at": iso(assignment.due_at),
            "default_closes_at": iso(assignment.closes_at)}


@bp.put("/courses/<slug>/extensions/<username>/<challenge>")
@describe(tags=("courses",), body=cs.ExtensionPut, returns=cs.ExtensionInfo,
          ok_text="The learner's dates for the assignment",
          errors={**STAFF_ONLY, 404: "No such course, assignment or member",
                  422: "A time without a zone, or earlier than the assignment's"})
def put_extension(slug: str, username: str, challenge: str) -> tuple[Response, int]:
    """Give one learner a later due and/or closing time for one assignment (course staff)."""
    extension = assignments.grant_extension(_user(), slug, username, challenge,
                                            _body(cs.ExtensionPut))
    return _reply(cs.ExtensionInfo, _extension(extension))


@bp.delete("/courses/<slug>/extensions/<username>/<challenge>")
@describe(tags=("courses",), returns=cs.Removed,
          errors={**STAFF_ONLY, 404: "No such extension"})
def remove_extension(slug: str, username: str, challenge: str) -> tuple[Response, int]:
    """Take an extension back (course staff): the assignment's dates apply again."""
    assignments.revoke_extension(_user(), slug, username, challenge)
    return _reply(cs.Removed, {"removed": True})


@bp.get("/courses/<slug>/gradebook")
@describe(tags=("courses",), query=cs.GradebookQuery, returns=cs.Gradebook, media=("text/csv",),
          ok_text="The gradebook (CSV with ?format=csv)", errors=STAFF_ONLY)
def get_gradebook(slug: str) -> Response | tuple[Response, int]:
    """One row per learner, one credited score per assignment, a total, late and missing."""
    course, _ = courses.for_staff(_user(), slug)
    if _query(cs.GradebookQuery)["format"] == "csv":
        return Response(gradebook.gradebook_csv(course), mimetype="text/csv", headers={
            "Content-Disposition": f"attachment; filename={course.slug}-gradebook.csv"})
    return _reply(cs.Gradebook, gradebook.gradebook(course))


@bp.get("/courses/<slug>/leaderboard")
@describe(tags=("courses",), returns=cs.CourseLeaderboard,
          errors={403: "Not a member of the course", 404: "No such course"})
def course_leaderboard(slug: str) -> tuple[Response, int]:
    """The course's standings: its learners, its assignments, credited scores."""
    course, _ = courses.for_member(_user(), slug)
    return _reply(cs.CourseLeaderboard, {"course": course.slug,
                                         "rows": leaderboard.standings(course)})
