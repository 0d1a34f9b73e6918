"""Course pages: my courses and joining, a course's assignments with countdowns, the staff's
assignment editor, gradebook (with extensions), roster and settings, the course leaderboard.

The views call the same services as the API; times are typed and shown in the course's zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..models import Course
from ..services import (
    ServiceError,
    assignments,
    challenges,
    courses,
    deadlines,
    gradebook,
    leaderboard,
)
from .course_forms import (
    AssignmentForm,
    CourseForm,
    ExtensionForm,
    JoinForm,
    MemberForm,
    SettingsForm,
)

bp = Blueprint("courses", __name__, url_prefix="/courses")


@bp.app_template_filter("coursetime")
def course_time(value: str | datetime | None, time_zone: str) -> str:
    """A time in the course's zone: `Tue 24 Nov 2026, 18:00 CET`."""
    if not value:
        return "-"
    moment = datetime.fromisoformat(value) if isinstance(value, str) \
        else value.replace(tzinfo=UTC)
    local = moment.astimezone(deadlines.zone(time_zone))
    return f"{local:%a %d %b %Y, %H:%M} {local.tzname()}"


def _utc(form_value: datetime | None, course: Course, field: str) -> datetime | None:
    """A wall-clock time typed in the course's zone, as an aware UTC time for the services."""
    if form_value is None:
        return None
    return deadlines.from_local(form_value, course.time_zone, field).replace(tzinfo=UTC)


def _local(moment: datetime | None, course: Course) -> datetime | None:
    local = deadlines.to_local(moment, course.time_zone)
    return local.replace(tzinfo=None) if local else None


def _flash_errors(form: Any) -> None:
    for field, errors in form.errors.items():
        label = getattr(getattr(form, field, None), "label", None)
        for error in errors if isinstance(errors, list) else [errors]:
            flash(f"{label.text if label else field}: {error}", "error")


def assignment_banner(course_slug: str | None, challenge: Any) -> dict[str, Any] | None:
    """For the challenge page opened from a course: the course and my dates for it, if any.

    Nothing when the page was not opened from a course, or from one the learner is not in, or
    that does not assign this challenge: the page is then the plain (practice) one.
    """
    if not course_slug or not current_user.is_authenticated:
        return None
    try:
        course, role = courses.for_member(current_user, course_slug)
    except ServiceError:
        return None
    view = gradebook.course_view(current_user, course, role)
    row = next((a for a in view["assignments"] if a["challenge"] == challenge.slug), None)
    if row is None:
        return None
    return {**row, "course": course, "role": role}


@bp.route("/")
@login_required
def index() -> str:
    """My courses; a join form; for teachers, a form to create one."""
    return render_template("courses/index.html", rows=courses.list_for(current_user),
                           join_form=JoinForm(), course_form=CourseForm())


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join() -> Response | tuple[str, int]:
    """Join with a code (`/courses/join?code=...` fills it in from a link)."""
    form = JoinForm() if request.method == "POST" else JoinForm(code=request.args.get("code"))
    if request.method == "POST" and form.validate_on_submit():
        try:
            course, role = courses.join(current_user, form.code.data)
        except ServiceError as exc:
            flash(exc.message, "error")
            status = exc.status
        else:
            flash(f"You are in {course.title} as {role}.", "success")
            return redirect(url_for("courses.show", slug=course.slug))
    else:
        status = 400 if request.method == "POST" else 200
        _flash_errors(form)
    return render_template("courses/index.html", rows=courses.list_for(current_user),
                           join_form=form, course_form=CourseForm()), status


@bp.route("/new", methods=["POST"])
@login_required
def create() -> Response | tuple[str, int]:
    """A server teacher opens a course."""
    form = CourseForm()
    if form.validate_on_submit():
        try:
            course = courses.create(current_user, form.slug.data, form.title.data,
                                    form.time_zone.data)
        except ServiceError as exc:
            if exc.status == 403:
                raise
            form.slug.errors.append(exc.message)
            status = exc.status
        else:
            flash(f"{course.title} is open. Hand out its join code: {course.join_code}",
                  "success")
            return redirect(url_for("courses.show", slug=course.slug))
    else:
        status = 400
    return render_template("courses/index.html", rows=courses.list_for(current_user),
                           join_form=JoinForm(), course_form=form), status


@bp.route("/<slug>")
@login_required
def show(slug: str) -> str:
    """A course: upcoming and past assignments with countdowns and my credited scores."""
    course, role = courses.for_member(current_user, slug)
    view = gradebook.course_view(current_user, course, role)
    upcoming = [a for a in view["assignments"] if a["state"] in ("upcoming", "open")]
    past = [a for a in view["assignments"] if a["state"] in ("late", "closed")]
    staff = role in ("assistant", "teacher")
    settings = SettingsForm(title=course.title, time_zone=course.time_zone)
    return render_template("courses/show.html", course=course, role=role, view=view,
                           upcoming=upcoming, past=past, staff=staff,
                           members=courses.members(course) if staff else [],
                           settings_form=settings, member_form=MemberForm())


@bp.route("/<slug>/code", methods=["POST"])
@login_required
def new_code(slug: str) -> Response:
    """Staff replace the join code."""
    course = courses.regenerate_code(current_user, slug)
    flash(f"The new join code is {course.join_code}; the old one no longer works.", "success")
    return redirect(url_for("courses.show", slug=slug))


@bp.route("/<slug>/settings", methods=["POST"])
@login_required
def settings(slug: str) -> Response:
    """Teachers rename the course or change its time zone."""
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            courses.update(current_user, slug, title=form.title.data,
                           time_zone=form.time_zone.data)
            flash("Saved.", "success")
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            flash(exc.message, "error")
    else:
        _flash_errors(form)
    return redirect(url_for("courses.show", slug=slug))


@bp.route("/<slug>/members", methods=["POST"])
@login_required
def set_member(slug: str) -> Response:
    """Teachers add someone to the roster or change their role."""
    form = MemberForm()
    if form.validate_on_submit():
        try:
            member = courses.set_member(current_user, slug, form.username.data, form.role.data)
            flash(f"{member.user.username} is {member.role} of the course.", "success")
        except ServiceError as exc:
            if exc.status == 403:
                raise
            flash(exc.message, "error")
    else:
        _flash_errors(form)
    return redirect(url_for("courses.show", slug=slug) + "#roster")


@bp.route("/<slug>/members/<username>/remove", methods=["POST"])
@login_required
def remove_member(slug: str, username: str) -> Response:
    """Teachers take someone off the roster."""
    try:
        courses.remove_member(current_user, slug, username)
        flash(f"{username} is no longer in the course.", "success")
    except ServiceError as exc:
        if exc.status == 403:
            raise
        flash(exc.message, "error")
    return redirect(url_for("courses.show", slug=slug) + "#roster")


def _assignment_form(course: Course, chosen: str | None) -> AssignmentForm:
    """The editor's form, filled in with the chosen assignment's settings when there is one."""
    existing = next((a for a in course.assignments if a.challenge.slug == chosen), None)
    if request.method == "POST":
        form = AssignmentForm()
    elif existing is not None:
        steps = list(existing.late_policy or [])
        form = AssignmentForm(data={
            "challenge": chosen, "opens_at": _local(existing.opens_at, course),
            "due_at": _local(existing.due_at, course),
            "closes_at": _local(existing.closes_at, course),
            "late_policy": steps + [{}] * max(1, 3 - len(steps)),
            "max_submissions": existing.max_submissions,
            "feedback_before_due": existing.feedback_before_due})
    else:
        form = AssignmentForm(data={"challenge": chosen})
    form.challenge.choices = [(c.slug, f"{c.title} ({c.slug})" + ("" if c.published
                                                                  else " - hidden"))
                              for c in challenges.visible(current_user)]
    return form


@bp.route("/<slug>/assignments", methods=["GET", "POST"])
@login_required
def editor(slug: str) -> Response | tuple[str, int]:
    """The assignment editor: staff see every assignment, teachers change them."""
    course, role = courses.for_staff(current_user, slug)
    form = _assignment_form(course, request.args.get("challenge"))
    status = 200
    if request.method == "POST":
        if role != "teacher":
            raise ServiceError(403, "forbidden", f"Only the teachers of {slug!r} can change it")
        if form.validate_on_submit():
            try:
                assignment = assignments.put(current_user, slug, form.challenge.data, {
                    "opens_at": _utc(form.opens_at.data, course, "Opens"),
                    "due_at": _utc(form.due_at.data, course, "Due"),
                    "closes_at": _utc(form.closes_at.data, course, "Closes"),
                    "late_policy": form.steps(),
                    "max_submissions": form.max_submissions.data,
                    "feedback_before_due": form.feedback_before_due.data})
            except ServiceError as exc:
                if exc.status == 403:
                    raise
                flash(f"Not saved: {exc.message}", "error")
                status = exc.status
            else:
                due = f"is due {course_time(assignment.due_at, course.time_zone)}" \
                    if assignment.due_at else "has no due time"
                flash(f"{assignment.challenge.title} {due}.", "success")
                return redirect(url_for("courses.editor", slug=slug))
        else:
            _flash_errors(form)
            status = 422
    return render_template("courses/editor.html", course=course, role=role, form=form,
                           rows=[gradebook.assignment_info(a) for a in course.assignments]
                           ), status


@bp.route("/<slug>/assignments/<challenge>/remove", methods=["POST"])
@login_required
def remove_assignment(slug: str, challenge: str) -> Response:
    """Teachers take a challenge out of the course."""
    assignments.remove(current_user, slug, challenge)
    flash(f"{challenge} is no longer an assignment of the course.", "success")
    return redirect(url_for("courses.editor", slug=slug))


def _extension_form(course: Course) -> ExtensionForm:
    form = ExtensionForm()
    form.username.choices = [(u.username, u.username) for u in courses.students(course)]
    form.challenge.choices = [(a.challenge.slug, a.challenge.title) for a in course.assignments]
    return form


def _render_gradebook(course: Course, form: ExtensionForm, status: int = 200
                      ) -> tuple[str, int]:
    return render_template("courses/gradebook.html", course=course,
                           book=gradebook.gradebook(course), form=form), status


@bp.route("/<slug>/gradebook")
@login_required
def gradebook_page(slug: str) -> tuple[str, int]:
    """The gradebook, sortable; extensions are granted from here."""
    course, _ = courses.for_staff(current_user, slug)
    return _render_gradebook(course, _extension_form(course))


@bp.route("/<slug>/extensions", methods=["POST"])
@login_required
def extend(slug: str) -> Response | tuple[str, int]:
    """Staff give one learner later dates for one assignment."""
    course, _ = courses.for_staff(current_user, slug)
    form = _extension_form(course)
    if not form.validate_on_submit():
        _flash_errors(form)
        return _render_gradebook(course, form, 422)
    try:
        assignments.grant_extension(current_user, slug, form.username.data, form.challenge.data, {
            "due_at": _utc(form.due_at.data, course, "New due time"),
            "closes_at": _utc(form.closes_at.data, course, "New closing time")})
    except ServiceError as exc:
        if exc.status == 403:
            raise
        flash(f"Not granted: {exc.message}", "error")
        return _render_gradebook(course, form, exc.status)
    flash(f"{form.username.data} has new dates for {form.challenge.data}.", "success")
    return redirect(url_for("courses.gradebook_page", slug=slug))


@bp.route("/<slug>/extensions/<username>/<challenge>/remove", methods=["POST"])
@login_required
def remove_extension(slug: str, username: str, challenge: str) -> Response:
    """Staff take an extension back."""
    assignments.revoke_extension(current_user, slug, username, challenge)
    flash(f"{username}'s extension of {challenge} is withdrawn.", "success")
    return redirect(url_for("courses.gradebook_page", slug=slug))


@bp.route("/<slug>/gradebook.csv")
@login_required
def gradebook_csv(slug: str) -> Response:
    """The gradebook as CSV, for the registrar."""
    course, _ = courses.for_staff(current_user, slug)
    return Response(gradebook.gradebook_csv(course), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={course.slug}-gradebook.csv"})


@bp.route("/<slug>/leaderboard")
@login_required
def standings(slug: str) -> str:
    """The course's own leaderboard (credited scores), live."""
    course, _ = courses.for_member(current_user, slug)
    return render_template("courses/leaderboard.html", course=course,
                           rows=leaderboard.standings(course))
