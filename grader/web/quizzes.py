"""The quiz pages: all questions at once or one at a time, an attempt's feedback, teachers'
statistics. Plain forms that work without JavaScript; `quiz.js` adds keyboard reordering."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import statuses
from ..models import QUIZ, Challenge, Submission
from ..services import ServiceError, challenges, quiz_stats, quizzes, submissions
from . import courses, quiz_forms
from .access import teacher_required

bp = Blueprint("quizzes", __name__)
MODES = ("all", "one")
# How long a page waits for the grading before showing the attempt as "being graded" (the
# page then follows it): choice, order and predict answers take well under a second.
PAGE_WAIT_S = 10.0
STATUS_TEXT = {"correct": ("✓", "Correct"), "partial": ("◐", "Partly right"),
               "wrong": ("✗", "Wrong"), "unanswered": ("–", "Not answered"),
               "invalid": ("!", "Not a valid answer")}


def _attempt(challenge: Challenge, attempt_id: int | None) -> Submission | None:
    """One of my attempts at this quiz (teachers may look at anyone's), or None."""
    if attempt_id is None or not current_user.is_authenticated:
        return None
    attempt = submissions.get(current_user, attempt_id)
    if attempt.kind != QUIZ or attempt.challenge_id != challenge.id:
        abort(404)
    return attempt


def _context(challenge: Challenge, view: dict[str, Any],
             attempt: Submission | None) -> dict[str, Any]:
    """What every quiz template needs: the questions, their HTML, the attempt and its results."""
    record = quizzes.record(attempt, current_user) if attempt is not None else None
    return {
        "challenge": challenge,
        "view": view,
        "questions": view["questions"],
        "record": record,
        "results": {r["id"]: r for r in record["questions"]} if record else {},
        "answers": record["answers"] if record else {},
        "is_blank": quizzes.is_blank,
        "field": quiz_forms.field,
        "markdown": quiz_forms.markdown,
        "inline_markdown": quiz_forms.inline_markdown,
        "snippet_parts": quiz_forms.snippet_parts,
        "max_indent": quiz_forms.MAX_INDENT,
        "status_text": STATUS_TEXT,
        "pending": record is not None and record["status"] in statuses.PENDING,
    }


def _first_open(view: dict[str, Any], answers: dict[str, Any]) -> int:
    """The first question the attempt has not answered (the last one when all are)."""
    for index, question in enumerate(view["questions"]):
        if quizzes.is_blank(answers.get(question["id"])):
            return index
    return len(view["questions"]) - 1


@bp.route("/challenges/<slug>/quiz")
def show(slug: str) -> str:
    """The quiz: every question in one form, or (`?mode=one`) one question at a time."""
    challenge = challenges.get(slug, current_user)
    view = quizzes.view(challenge, current_user)
    mode = request.args.get("mode") if request.args.get("mode") in MODES else "all"
    attempt = _attempt(challenge, request.args.get("attempt", type=int))
    context = _context(challenge, view, attempt)
    index = request.args.get("q", type=int)
    if index is None:
        index = _first_open(view, context["answers"]) if attempt is not None else 0
    index = max(0, min(index, len(view["questions"]) - 1))
    # Opened from a course (`?course=slug`): answers count for its assignment, as on the
    # challenge page.
    assignment = courses.assignment_banner(request.values.get("course"), challenge)
    return render_template("quizzes/show.html", mode=mode, attempt=attempt, index=index,
                           question=view["questions"][index], assignment=assignment,
                           course_slug=assignment["course"].slug if assignment else None,
                           quiz_page=True, **context)


@bp.route("/challenges/<slug>/quiz", methods=["POST"])
@login_required
def answer(slug: str) -> Response:
    """Store the answers (one question's, in the one-at-a-time mode) and show the feedback."""
    challenge = challenges.get(slug, current_user)
    view = quizzes.view(challenge, current_user)
    mode = request.form.get("mode") if request.form.get("mode") in MODES else "all"
    attempt_id = request.form.get("attempt", type=int)
    only = request.form.get("question") if mode == "one" else None
    index = next((i for i, q in enumerate(view["questions"]) if q["id"] == only), 0)
    course = request.form.get("course") or None
    back = url_for("quizzes.show", slug=slug, mode=mode, attempt=attempt_id, q=index,
                   course=course)
    answers = quiz_forms.answers_from_form(view["questions"], request.form, only)
    if mode == "one" and (only not in answers or quizzes.is_blank(answers[only])):
        flash("Answer the question before checking it, or skip to the next one.", "error")
        return redirect(back)
    try:
        attempt, _ = quizzes.submit(current_user, slug, answers, attempt_id, course=course)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        flash(f"Not sent: {exc.message}", "error")
        return redirect(back)
    quizzes.wait_for_grading(attempt.id, PAGE_WAIT_S)
    if mode == "one":
        return redirect(url_for("quizzes.show", slug=slug, mode="one", attempt=attempt.id,
                                q=index, course=course, _anchor="feedback"))
    return redirect(url_for("quizzes.attempt", slug=slug, attempt_id=attempt.id))


@bp.route("/challenges/<slug>/quiz/attempts/<int:attempt_id>")
@login_required
def attempt(slug: str, attempt_id: int) -> str:
    """One attempt: the score, and for each question the answer given and its feedback."""
    challenge = challenges.get(slug, current_user)
    view = quizzes.view(challenge, current_user)
    found = _attempt(challenge, attempt_id)
    if found is not None and found.user_id != current_user.id:
        # A teacher reading a learner's attempt sees the questions in that learner's order.
        view = {**view, **quizzes.public_view_for(challenge, found.user)}
    return render_template("quizzes/attempt.html", attempt=found,
                           **_context(challenge, view, found))


@bp.route("/teach/challenges/<slug>/quiz")
@teacher_required
def stats(slug: str) -> str:
    """Teachers: per question, how often it was right, and how many chose each choice."""
    challenge = challenges.get(slug, current_user)
    return render_template("quizzes/stats.html", challenge=challenge,
                           stats=quiz_stats.stats(challenge),
                           markdown=quiz_forms.markdown,
                           inline_markdown=quiz_forms.inline_markdown)
