"""Review pages: comments and score overrides on a submission, the similarity of a challenge."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from ..models import Submission
from ..services import ServiceError, challenges, reviews, similarity, submissions
from .access import teacher_required

bp = Blueprint("review", __name__)


def navigation_context() -> dict[str, Any]:
    """Every page's navigation: how many review comments on my submissions I have not read."""
    try:
        return {"unread_comments": reviews.unread_count(current_user)}
    except Exception:  # the badge must never take a page down with it
        from flask import current_app

        current_app.logger.exception("could not count the unread comments")
        return {"unread_comments": 0}


def submission_context(submission: Submission, files: dict[str, str]) -> dict[str, Any]:
    """What the submission page shows of the review: threads per line, override, audit log.

    Opening the page reads the comments: what was new is marked so, once, and the badge drops.
    """
    found = reviews.comments(current_user, submission)
    threads: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for comment in found:
        threads.setdefault((comment["path"], comment["line"]), []).append(comment)
    lines = {path: text.splitlines() or [""] for path, text in files.items()}
    if any(c["new"] for c in found):
        reviews.mark_read(current_user, submission)
    staff = reviews.is_staff(current_user, submission)
    return {"threads": threads, "lines": lines, "staff": staff,
            "may_reply": staff or submission.user_id == current_user.id,
            "override": submissions.override_of(submission),
            "audit": reviews.audit_log(current_user, submission) if staff else [],
            "comment_count": len(found), "commented_paths": {path for path, _ in threads}}


def _back(submission_id: int, anchor: str = "") -> Response:
    return redirect(url_for("submissions.show", submission_id=submission_id) + anchor)


@bp.post("/submissions/<int:submission_id>/comments")
@login_required
def comment(submission_id: int) -> Response:
    """Comment on a line (staff), or reply in a thread (staff and the owner)."""
    submission = submissions.get(current_user, submission_id)
    form = request.form
    try:
        added = reviews.add_comment(
            current_user, submission, form.get("body", ""), path=form.get("path") or None,
            line=form.get("line", type=int), parent_id=form.get("parent", type=int))
    except ServiceError as exc:
        flash(f"The comment was not saved: {exc.message}", "error")
        return _back(submission_id, "#code")
    return _back(submission_id, f"#comment-{added.id}")


@bp.post("/submissions/<int:submission_id>/comments/read")
@login_required
def read(submission_id: int) -> tuple[Response, int]:
    """The page saw every comment (one arrived live while it was open): the badge drops."""
    submission = submissions.get(current_user, submission_id)
    return jsonify({"count": reviews.mark_read(current_user, submission)}), 200


@bp.post("/submissions/<int:submission_id>/override")
@teacher_required
def override(submission_id: int) -> Response:
    """Put a teacher's score in force, with a reason."""
    submission = submissions.get(current_user, submission_id)
    score = request.form.get("score", type=int)
    try:
        if score is None:
            raise ServiceError(422, "bad_score", "The score must be a whole number")
        reviews.set_override(current_user, submission, score, request.form.get("reason", ""))
    except ServiceError as exc:
        flash(f"The score was not changed: {exc.message}", "error")
    else:
        flash(f"The score of #{submission_id} is now {score}.", "success")
    return _back(submission_id, "#review-score")


@bp.post("/submissions/<int:submission_id>/override/remove")
@teacher_required
def remove_override(submission_id: int) -> Response:
    """Put the graded score back in force, with a reason."""
    submission = submissions.get(current_user, submission_id)
    try:
        reviews.clear_override(current_user, submission, request.form.get("reason", ""))
    except ServiceError as exc:
        flash(f"The override was not removed: {exc.message}", "error")
    else:
        flash(f"The graded score of #{submission_id} counts again.", "success")
    return _back(submission_id, "#review-score")


@bp.route("/teach/challenges/<slug>/similarity", methods=["GET", "POST"])
@teacher_required
def similarity_page(slug: str) -> Any:
    """The pairs above a threshold, highest first; progress while they are computed."""
    challenge = challenges.get(slug, current_user)
    if request.method == "POST":
        similarity.start(current_user, challenge)
        flash("The similarity is being computed again.", "success")
        return redirect(url_for("review.similarity_page", slug=slug))
    threshold = request.args.get("threshold", 0.5, type=float)
    if not 0.0 <= threshold <= 1.0:
        abort(400, "The threshold is a number from 0 to 1")
    try:
        run = similarity.current(current_user, challenge)
    except ServiceError as exc:
        return render_template("review/similarity.html", challenge=challenge, run=None,
                               failure=exc.message, threshold=threshold), exc.status
    body = similarity.result(run, threshold) if run.state == "done" else None
    return render_template("review/similarity.html", challenge=challenge, run=run,
                           progress=similarity.progress(run), result=body, threshold=threshold,
                           failure=None)


def _marked_lines(text: str, files: list[dict[str, Any]],
                  spans: list[tuple[int, int, int]]) -> list[dict[str, Any]]:
    """The text's lines, each with the matches (by number) that cover some of it, and the name
    of the file that starts on it."""
    starts = {f["start"]: f["path"] for f in files}
    rows, offset, number = [], 0, 0
    for line in text.splitlines(keepends=True) or [""]:
        end = offset + len(line)
        number = 1 if offset in starts else number + 1
        marks = sorted({match for start, stop, match in spans if start < end and stop > offset})
        rows.append({"number": number, "text": line.rstrip("\n"), "marks": marks,
                     "file": starts.get(offset)})
        offset = end
    return rows


@bp.get("/teach/challenges/<slug>/similarity/<int:a>/<int:b>")
@teacher_required
def pair_page(slug: str, a: int, b: int) -> Any:
    """Two learners' files side by side, each matching region marked on both sides."""
    challenge = challenges.get(slug, current_user)
    run = similarity.current(current_user, challenge)
    if run.state != "done":
        flash("The similarity is being computed; the pair shows once it is done.", "info")
        return redirect(url_for("review.similarity_page", slug=slug))
    found = similarity.pair(run, a, b)
    sides = {}
    for key, column in (("a", 0), ("b", 2)):
        side = found["sides"][key]
        spans = [(m[column], m[column + 1], number) for number, m in
                 enumerate(found["matches"], start=1)]
        sides[key] = {**side, "rows": _marked_lines(side["text"], side["files"], spans)}
    return render_template("review/pair.html", challenge=challenge, pair=found, sides=sides)
