"""Teacher tools: upload and validate, publish, edit, all submissions, regrade, statistics, CSV."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..models import Challenge
from ..services import ServiceError, challenges, submissions, versions
from .access import teacher_required
from .forms import ChallengeUploadForm, MetadataForm

bp = Blueprint("teacher", __name__, url_prefix="/teach")


def find(slug: str) -> Challenge:
    """A challenge by slug, hidden ones included (teachers only reach this)."""
    return challenges.get(slug, current_user)


@bp.route("/")
@teacher_required
def index() -> str:
    """Every challenge, hidden or published, with its current version and validation state."""
    return render_template("teacher/index.html", challenges=challenges.visible(current_user),
                           form=ChallengeUploadForm())


@bp.route("/upload", methods=["POST"])
@teacher_required
def upload() -> Response | tuple[str, int]:
    """Import a zipped challenge folder; it is validated in the sandbox before anything else."""
    form = ChallengeUploadForm()
    if not form.validate_on_submit():
        return render_template("teacher/index.html", challenges=challenges.visible(current_user),
                               form=form), 400
    try:
        challenge, version = versions.import_zip(form.archive.data.read(), current_user,
                                                 publish=bool(form.publish.data))
    except ServiceError as exc:
        form.archive.errors.append(exc.message)
        return render_template("teacher/index.html", challenges=challenges.visible(current_user),
                               form=form), exc.status
    flash(f"Version {version.number} of {challenge.slug} is stored; a grading worker checks it "
          "in the sandbox now. Its progress and verdict show below.", "info")
    return redirect(url_for("teacher.challenge", slug=challenge.slug, version=version.number))


@bp.route("/challenges/<slug>")
@teacher_required
def challenge(slug: str) -> str:
    """One challenge: validation report, publish state, metadata, statistics, actions."""
    found = find(slug)
    versions = list(reversed(found.versions))
    shown = request.args.get("version", type=int)
    version = next((v for v in versions if v.number == shown), found.current_version)
    return render_template(
        "teacher/challenge.html",
        challenge=found,
        version=version,
        versions=versions,
        stats=challenges.stats(found),
    )


@bp.route("/challenges/<slug>/publish", methods=["POST"])
@teacher_required
def publish(slug: str) -> Response:
    """Show the challenge to learners (only a validated version can be)."""
    found = find(slug)
    try:
        challenges.set_published(current_user, found, True)
        flash(f"{found.title} is published.", "success")
    except ServiceError as exc:
        flash(exc.message, "error")
    return redirect(url_for("teacher.challenge", slug=slug))


@bp.route("/challenges/<slug>/hide", methods=["POST"])
@teacher_required
def hide(slug: str) -> Response:
    """Hide the challenge from learners (their submissions and scores are kept)."""
    found = find(slug)
    challenges.set_published(current_user, found, False)
    flash(f"{found.title} is hidden from learners.", "success")
    return redirect(url_for("teacher.challenge", slug=slug))


@bp.route("/challenges/<slug>/edit", methods=["GET", "POST"])
@teacher_required
def edit(slug: str) -> Response | tuple[str, int]:
    """Change the title, concepts, difficulty and position of a challenge."""
    found = find(slug)
    form = MetadataForm(obj=found, concepts=", ".join(found.concepts))
    if form.validate_on_submit():
        try:
            challenges.update_metadata(
                current_user, found, title=form.title.data, concepts=form.concept_list(),
                difficulty=form.difficulty.data, order=form.order.data)
        except ServiceError as exc:
            form.title.errors.append(exc.message)
        else:
            flash("Saved.", "success")
            return redirect(url_for("teacher.challenge", slug=slug))
    status = 422 if form.errors else 200
    return render_template("teacher/edit.html", challenge=found, form=form), status


@bp.route("/challenges/<slug>/submissions")
@teacher_required
def challenge_submissions(slug: str) -> str:
    """Every learner's submissions of this challenge with their code, a page at a time."""
    found = find(slug)
    page, per_page = submissions.page_args(request.args)
    listed = submissions.page_for(current_user, challenge=found, everyone=True, page=page,
                                  per_page=per_page, with_files=True)
    return render_template(
        "teacher/submissions.html",
        challenge=found,
        submissions=listed.items,
        pagination=listed,
        files={s.id: submissions.files_of(s) for s in listed.items},
    )


@bp.route("/challenges/<slug>/regrade", methods=["POST"])
@teacher_required
def regrade_all(slug: str) -> Response:
    """Queue every finished submission of the challenge for grading again."""
    found = find(slug)
    ids = submissions.regrade(current_user, challenge=found)
    flash(f"{len(ids)} submission(s) queued for regrading; progress shows below.", "success")
    return redirect(url_for("teacher.challenge_submissions", slug=slug))


@bp.route("/submissions/<int:submission_id>/regrade", methods=["POST"])
@teacher_required
def regrade_one(submission_id: int) -> Response:
    """Queue one submission for grading again, and watch it on its page."""
    target = submissions.get(current_user, submission_id)
    submissions.regrade(current_user, submission=target)
    flash(f"Submission #{submission_id} is queued for regrading.", "success")
    return redirect(url_for("submissions.show", submission_id=submission_id))


@bp.route("/challenges/<slug>/scores.csv")
@teacher_required
def scores_csv(slug: str) -> Response:
    """Each learner's best score on the challenge, as CSV."""
    found = find(slug)
    return Response(
        challenges.scores_csv(found),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={found.slug}-scores.csv"},
    )
