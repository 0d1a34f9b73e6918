"""LTI 1.3 pages: OIDC login, launch (resource links and deep linking), the key set, the deep
linking picker, roster sync and passback retries from the course page, and the admin's
platform list and registration form."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from pylti1p3.exception import LtiException, OIDCException
from sqlalchemy import select
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..extensions import csrf, db
from ..lti import deep_linking, framing, keys, launch, links, passback, platforms, roster
from ..lti.models import LtiContext, LtiPlatform
from ..models import Challenge, Course
from ..services import ServiceError
from .access import admin_required
from .headers import allow_form_action, allow_framing

bp = Blueprint("lti", __name__)
DEEP_LINK_KEY = "lti_deep_link"


class PlatformForm(FlaskForm):
    """A platform's registration (the fields of `flask --app grader lti register`)."""

    issuer = StringField("Issuer", validators=[DataRequired(), Length(max=500)],
                         description="The platform's iss, e.g. https://canvas.instructure.com")
    client_id = StringField("Client id", validators=[DataRequired(), Length(max=255)])
    deployment_ids = StringField("Deployment ids", validators=[DataRequired(), Length(max=4000)],
                                 description="One or more, separated by spaces or commas")
    login_url = StringField("OIDC login (authorization) URL",
                            validators=[DataRequired(), Length(max=1000)])
    token_url = StringField("Token URL", validators=[DataRequired(), Length(max=1000)])
    jwks_url = StringField("Key set (JWKS) URL", validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField("Register or update")


def _every_platform_origin() -> list[str]:
    seen: list[str] = []
    for platform in platforms.every():
        seen += [o for o in platforms.allowed_frame_origins(platform) if o not in seen]
    return seen


@bp.before_request
def _framable_by_platforms() -> None:
    """The protocol pages open inside an LMS's frame before any launch names the platform."""
    if not g.get("frame_ancestors"):
        allow_framing(_every_platform_origin())


def refused(status: int, what: str, reason: str) -> tuple[str, int]:
    """The clear page of a refused login or launch (inside the LMS's frame)."""
    db.session.rollback()
    return render_template("lti/refused.html", what=what, reason=reason, code=status), status


@bp.route("/lti/login", methods=["GET", "POST"])
@csrf.exempt
def login() -> Any:
    """OIDC third-party login initiation: check cookies work here, then go to the platform."""
    known = platforms.find(request.values.get("iss", ""), request.values.get("client_id"))
    if known is not None:
        # The LMS may frame the login from a site of its own that no launch has shown yet
        # (Canvas: the school's instructure.com site, not the issuer). This page only checks
        # cookies and goes on to the platform, so the site that posted it may frame it; the
        # pages after the launch stay framable by the platform's origins alone.
        sender = platforms.origin_of(request.headers.get("Origin"))
        allow_framing([*platforms.allowed_frame_origins(known), *([sender] if sender else [])])
    try:
        return launch.login(launch.tool_config()).redirect(url_for("lti.launch", _external=True))
    except (OIDCException, LtiException) as exc:
        return refused(400, "The login from the LMS", launch.explain(exc))


def _sign_in(platform: LtiPlatform, claims: dict[str, Any]) -> tuple[LtiContext | None, str]:
    """The person signs in; their LMS course becomes (or is) a course with them in its roster."""
    account = links.person(platform, claims)
    context = links.context(platform, claims)
    role = links.course_role(claims)
    db.session.flush()
    if context is not None:
        links.enrol(context.course, account.user, role)
    platforms.note_origin(platform, request.headers.get("Origin"))
    platforms.touch(platform, launched=True)
    db.session.commit()
    login_user(account.user)
    framing.mark(platforms.allowed_frame_origins(platform))
    return context, role


@bp.route("/lti/launch", methods=["POST"], endpoint="launch")
@csrf.exempt
def launch_view() -> Any:
    """The platform's id_token: validate, sign in, then the challenge or the deep link picker."""
    config = launch.tool_config()
    message = launch.message_launch(config)
    try:
        claims = dict(message.get_launch_data())
        deep = message.is_deep_link_launch()
        resource = message.is_resource_launch()
    except LtiException as exc:
        return refused(400, "The launch", launch.explain(exc))
    platform = config.platform
    if platform is None or not (deep or resource):
        return refused(400, "The launch", "this kind of LTI message is not one the tool handles")
    try:
        context, role = _sign_in(platform, claims)
        if deep:
            return _picker(message, context, role)
        challenge = links.challenge_named(claims)
        if challenge is None:
            return redirect(url_for("courses.show", slug=context.course.slug) if context
                            else url_for("challenges.index"))
        if context is None:
            return redirect(url_for("challenges.show", slug=challenge.slug))
        links.place(context.course, challenge, links.lms_due_time(claims))
        links.resource_link(context, claims, challenge)
        db.session.commit()
    except ServiceError as exc:
        return refused(exc.status, "The launch", exc.message)
    return redirect(url_for("challenges.show", slug=challenge.slug, course=context.course.slug))


def _picker(message: launch.ToolLaunch, context: LtiContext | None, role: str) -> Any:
    if role not in ("teacher", "assistant"):
        return refused(403, "Adding content", "only the course's instructors can pick a "
                                              "challenge for the LMS")
    session[DEEP_LINK_KEY] = message.get_launch_id()
    return render_template("lti/picker.html", launch_id=message.get_launch_id(),
                           challenges=deep_linking.choices(),
                           course=context.course if context else None)


@bp.route("/lti/deep-link", methods=["POST"])
@login_required
def deep_link() -> Any:
    """The teacher's pick: the signed answer goes back to the LMS in an auto-posted form."""
    launch_id = request.form.get("launch_id", "")
    if not launch_id or session.get(DEEP_LINK_KEY) != launch_id:
        return refused(400, "Adding content", "this choice belongs to another deep linking "
                                              "request: start again from the LMS")
    config = launch.tool_config()
    try:
        message = launch.restore(launch_id, config)
    except LtiException as exc:
        return refused(400, "Adding content", launch.explain(exc))
    slug = request.form.get("challenge", "")
    challenge = db.session.scalar(select(Challenge).where(Challenge.slug == slug,
                                                          Challenge.published.is_(True)))
    if challenge is None:
        flash("Pick one of the challenges in the list.", "error")
        return render_template("lti/picker.html", launch_id=launch_id,
                               challenges=deep_linking.choices(), course=None), 422
    try:
        answer = deep_linking.answer(message, challenge, url_for("lti.launch", _external=True))
        context = links.context(config.platform, dict(message.get_launch_data())) \
            if config.platform is not None else None
        if context is not None:
            links.place(context.course, challenge, None)
        db.session.commit()
    except (ServiceError, LtiException) as exc:
        reason = exc.message if isinstance(exc, ServiceError) else launch.explain(exc)
        return refused(getattr(exc, "status", 400), "Adding content", reason)
    session.pop(DEEP_LINK_KEY, None)
    allow_form_action([platforms.origin(answer.return_url)])
    return render_template("lti/deep_link_return.html", answer=answer, challenge=challenge)


@bp.route("/lti/jwks")
def jwks() -> Response:
    """The tool's public keys, for platforms to verify what the tool signs."""
    try:
        response = jsonify(keys.jwks())
    except keys.KeyProblem as exc:
        response = jsonify({"error": {"code": "keys_unavailable", "message": str(exc)}})
        response.status_code = 503
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/lti/courses/<slug>/roster", methods=["POST"])
@login_required
def sync_roster(slug: str) -> Response:
    """Course staff sync the roster from the LMS (Names and Role Provisioning)."""
    try:
        report = roster.sync(current_user, slug)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        flash(f"Roster not synced: {exc.message}", "error")
    else:
        flash(f"Roster synced with the LMS: {report.members} members, {report.added} added, "
              f"{report.updated} changed role, {report.removed} removed.", "success")
    return redirect(url_for("courses.show", slug=slug) + "#lti")


@bp.route("/lti/passbacks/<int:passback_id>/send", methods=["POST"])
@login_required
def send_again(passback_id: int) -> Response:
    """Course staff send a score the LMS did not take again."""
    row = passback.send_again(current_user, passback_id)
    flash(f"The score of {row.user.username} goes to the LMS again.", "success")
    return redirect(url_for("courses.show", slug=row.resource_link.context.course.slug) + "#lti")


@bp.route("/admin/lti", methods=["GET", "POST"])
@admin_required
def admin() -> Any:
    """Registered platforms (last launch, last passback) and the registration form."""
    form = PlatformForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                platform, created = platforms.register(
                    form.issuer.data, form.client_id.data, [form.deployment_ids.data],
                    form.login_url.data, form.token_url.data, form.jwks_url.data,
                    replace_deployments=True)
            except ServiceError as exc:
                flash(f"Not registered: {exc.message}", "error")
                status = exc.status
            else:
                flash(f"{'Registered' if created else 'Updated'} {platform.issuer} "
                      f"(client id {platform.client_id}).", "success")
                return redirect(url_for("lti.admin"), 303)
        else:
            status = 422
    try:
        tool_keys, key_problem = keys.all_keys() or [keys.signing_key()], ""
    except keys.KeyProblem as exc:
        tool_keys, key_problem = [], str(exc)
    return render_template("lti/admin.html", form=form,
                           rows=[platforms.summary(p) for p in platforms.every()],
                           keys=tool_keys, key_problem=key_problem), status


def course_panel(course: Course) -> dict[str, Any] | None:
    """For the course page: the LMS course it is linked to, the roster service and the scores
    the LMS does not have yet (None for a course no LMS launched)."""
    context = roster.context_of(course)
    if context is None:
        return None
    return {"platform": context.platform.issuer, "title": context.title,
            "can_sync": bool(context.memberships_url), "synced_at": context.roster_synced_at,
            "passbacks": passback.for_course(course)}


def init_app(app: Flask) -> None:
    """Register the LTI pages and the course page's LTI panel."""
    app.register_blueprint(bp)
    app.add_template_global(course_panel, "lti_course_panel")
