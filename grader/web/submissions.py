"""The submission page (live per-test results) and my submissions."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import statuses
from ..models import QUIZ, Submission
from ..services import submissions, waiting
from . import rendering, review

bp = Blueprint("submissions", __name__, url_prefix="/submissions")


def source_texts(submission: Submission) -> dict[str, str]:
    """The submitted files as text for display (binary files are named, not dumped)."""
    texts = {}
    for path, content in sorted(submissions.files_of(submission).items()):
        try:
            texts[path] = content.decode("utf-8")
        except UnicodeDecodeError:
            texts[path] = f"(binary file, {len(content)} bytes)"
    return texts


@bp.route("/")
@login_required
def mine() -> str:
    """Every submission of mine, newest first, a page at a time (`?page=&per_page=`)."""
    page, per_page = submissions.page_args(request.args)
    found = submissions.page_for(current_user, page=page, per_page=per_page)
    # Records, not rows: a course may hold a result back until its due time.
    return render_template("submissions/mine.html", pagination=found, submissions=[
        {**record, "title": row.challenge.title}
        for row, record in zip(found.items, submissions.records(found.items, current_user),
                               strict=True)])


@bp.route("/<int:submission_id>")
@login_required
def show(submission_id: int) -> str | Response:
    """One submission: its tests as they finish, its score, its code (owner and teachers only).

    A quiz attempt is shown on its quiz's page, question by question.
    """
    submission = submissions.get(current_user, submission_id)
    if submission.kind == QUIZ:
        return redirect(url_for("quizzes.attempt", slug=submission.challenge.slug,
                                attempt_id=submission.id))
    shown = submissions.record(submission, current_user)
    files = source_texts(submission)
    return render_template(
        "submissions/show.html",
        review=review.submission_context(submission, files),
        submission=submission,
        shown=shown,
        # A queued submission's stored rows belong to an earlier grading (a regrade or a
        # retry): they are replaced as the new results arrive, so they are not shown.
        outcomes=[] if submission.status == statuses.QUEUED else shown["tests"],
        files=files,
        place_in_line=rendering.place_in_line(*waiting.position_of(submission)),
    )

