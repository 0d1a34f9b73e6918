"""The challenges list and the challenge page (statement, editor, upload, past submissions)."""

from __future__ import annotations

import re

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.datastructures import FileStorage

from runner.submission import split_allowed

from ..models import Challenge
from ..services import ServiceError, challenges, submissions
from .forms import SubmitForm

bp = Blueprint("challenges", __name__, url_prefix="/challenges")
LEADING_H1 = re.compile(r"\s*<h1>(.*?)</h1>\s*", re.DOTALL)
TRACK_TITLES = {"core": "Core track: Flask itself",
                "extensions": "Extensions track: databases, forms, accounts, APIs and more"}


def home() -> Response:
    """The site's front page is the challenges list."""
    return redirect(url_for("challenges.index"))


@bp.route("/")
def index() -> str:
    """Every visible challenge with my best score; `?concept=` filters by concept id."""
    concept = (request.args.get("concept") or "").strip() or None
    return render_template(
        "challenges/index.html",
        rows=challenges.list_for(current_user, concept=concept),
        all_concepts=challenges.concepts(current_user),
        concept=concept,
        track_titles=TRACK_TITLES,
    )


def editable_files(challenge: Challenge) -> dict[str, str]:
    """The starter's text files a learner may submit, for the editor."""
    starter = challenges.starter_files(challenge)
    loaded = challenges.runner_challenge(challenge.current_version)
    allowed, _ = split_allowed(loaded, starter)
    editable = {}
    for path in sorted(allowed):
        try:
            editable[path] = starter[path].decode("utf-8")
        except UnicodeDecodeError:
            continue  # binary starter files are uploaded, not edited
    return editable


def editor_texts(files: dict[str, bytes], editable: dict[str, str]) -> dict[str, str]:
    """The text files among `files` that the editor shows (binary ones stay out)."""
    texts = {}
    for path, content in files.items():
        if path in editable:
            try:
                texts[path] = content.decode("utf-8")
            except UnicodeDecodeError:
                continue
    return texts


def statement_markup(challenge: Challenge) -> Markup:
    """The sanitized statement, without a leading heading that only repeats the page title."""
    # The service sanitizes the HTML (nh3 allow-list), so it may be inserted as markup.
    html = Markup(challenges.statement_html(challenge))
    heading = LEADING_H1.match(html)
    if heading and Markup(heading.group(1)).striptags() == challenge.title:
        html = Markup(html[heading.end():])
    return html


def render_challenge(slug: str, form: SubmitForm | None = None,
                     edited: dict[str, str] | None = None, status: int = 200,
                     headers: dict[str, str] | None = None) -> tuple[str, int, dict[str, str]]:
    """The challenge page; after a refused submission it keeps the learner's edits."""
    challenge = challenges.get(slug, current_user)
    loaded = challenges.runner_challenge(challenge.current_version)
    editable = editable_files(challenge)
    past = submissions.list_for(current_user, challenge=challenge) \
        if current_user.is_authenticated else []
    resumed = None
    if edited:
        editable.update({path: text for path, text in edited.items() if path in editable})
    elif past and not request.args.get("starter"):
        # Learners pick up where they left off: the editor opens on their latest files.
        resumed = past[0]
        editable.update(editor_texts(submissions.files_of(resumed), editable))
    return render_template(
        "challenges/show.html",
        challenge=challenge,
        statement_html=statement_markup(challenge),
        file_patterns=loaded.files,
        editable=editable,
        form=form or SubmitForm(),
        past=past,
        resumed=resumed,
    ), status, headers or {}


@bp.route("/<slug>")
def show(slug: str) -> tuple[str, int, dict[str, str]]:
    """The statement, the editor with the starter files, the upload field, my submissions."""
    return render_challenge(slug)


@bp.route("/<slug>/starter.zip")
def starter(slug: str) -> Response:
    """The starter files, the statement and the public tests as one zip."""
    challenge = challenges.get(slug, current_user)
    return Response(
        challenges.starter_zip(challenge),
        mimetype="application/zip",
        headers={"Content-Disposition": f"attachment; filename={challenge.slug}-starter.zip"},
    )


def uploaded_files(uploads: list[FileStorage]) -> tuple[dict[str, bytes], bytes | None]:
    """The uploaded files by name, and the one .zip archive among them if any."""
    files: dict[str, bytes] = {}
    archive: bytes | None = None
    for upload in uploads:
        if not upload or not upload.filename:
            continue
        if upload.filename.lower().endswith(".zip"):
            if archive is not None:
                raise ServiceError(400, "bad_archive", "Upload at most one .zip archive at a time")
            archive = upload.read()
        else:
            files[upload.filename] = upload.read()
    return files, archive


@bp.route("/<slug>/submit", methods=["POST"])
@login_required
def submit(slug: str) -> Response | tuple[str, int, dict[str, str]]:
    """Store the submission, queue it and go to its live page.

    Uploaded files, when there are any, are what is sent; otherwise the editor's files are.
    """
    form = SubmitForm()
    edited = {key[len("file:"):]: value for key, value in request.form.items()
              if key.startswith("file:")}
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return render_challenge(slug, form, edited, 400)
    try:
        files, archive = uploaded_files(request.files.getlist(form.uploads.name))
        if not files and archive is None:
            # Browsers send CRLF line ends from a textarea; the files on disk should not change.
            files = {path: text.replace("\r\n", "\n").encode("utf-8")
                     for path, text in edited.items()}
        submission = submissions.create(current_user, slug, files=files, archive=archive)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        flash(f"Not submitted: {exc.message}", "error")
        return render_challenge(slug, form, edited, exc.status, exc.headers)
    return redirect(url_for("submissions.show", submission_id=submission.id))
