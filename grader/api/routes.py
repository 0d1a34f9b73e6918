"""The API's views: thin wrappers over the services."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, jsonify, request, url_for
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from .. import limits, statuses
from ..models import User, iso
from ..services import (
    ServiceError,
    accounts,
    challenges,
    courses,
    leaderboard,
    pause,
    submissions,
    tokens,
    versions,
)
from . import schemas
from .base import bp, error_response
from .spec import build, describe

MULTIPART_SUBMISSION = {"required": True, "content": {"multipart/form-data": {"schema": {
    "allOf": [schemas.SubmissionForm],
    "properties": {"archive": {"type": "string", "format": "binary",
                               "description": "a .zip of the project (instead of files)"}},
    "additionalProperties": {"type": "string", "format": "binary",
                             "description": "one file; the field name is its path"}}}}}
CHALLENGE_UPLOAD = {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["archive"], "properties": {
        "archive": {"type": "string", "format": "binary",
                    "description": "a .zip of a challenge folder"}}}},
    "application/zip": {"schema": {"type": "string", "format": "binary"}}}}


def _reply(schema: type[schemas.Schema], data: Any, status: int = 200) -> tuple[Response, int]:
    """A JSON answer dumped through its documented schema."""
    return jsonify(schema().dump(data)), status


def _user(required: bool = True, teacher: bool = False) -> User | None:
    if g.auth_error is not None:
        raise g.auth_error
    if g.api_user is None:
        if not required:
            return None
        raise ServiceError(401, "unauthorized",
                           "Authentication required: send 'Authorization: Bearer <token>'")
    if teacher and not g.api_user.is_teacher:
        raise ServiceError(403, "forbidden", "Only teachers can do this")
    return g.api_user


def _body(schema: type[schemas.Schema]) -> dict[str, Any]:
    """The JSON body (or form fields), validated with the view's documented schema."""
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise ServiceError(400, "bad_json", "The request body must be a JSON object")
        return schemas.load(schema, data)
    return schemas.load(schema, request.form)


def _query(schema: type[schemas.Schema]) -> dict[str, Any]:
    return schemas.load(schema, request.args)


@bp.get("/openapi.json")
@describe(auth="none", tags=("meta",), ok_text="The OpenAPI 3 document")
def openapi() -> Response:
    """This document: the API described as OpenAPI 3, generated from the routes and schemas."""
    return jsonify(build())


@bp.get("/status")
@describe(auth="none", tags=("meta",), returns=schemas.ServiceStatus)
def status() -> tuple[Response, int]:
    """Is grading running or paused (Docker engine down), and how many submissions wait."""
    return _reply(schemas.ServiceStatus, {**pause.status(),
                                          "queue": current_app.config["GRADER_QUEUE"],
                                          "pending": submissions.pending_count()})


@bp.get("/statuses")
@describe(auth="none", tags=("meta",), returns=schemas.StatusList)
def list_statuses() -> tuple[Response, int]:
    """Every submission status, its label, and whether it is final and counts for scores."""
    return _reply(schemas.StatusList, {"statuses": statuses.vocabulary()})


@bp.post("/tokens")
@describe(auth="none", tags=("auth",), body=schemas.Credentials, ok=201,
          returns=schemas.NewToken, ok_text="The token, shown only this once",
          errors={400: "The body is not a JSON object", 401: "Wrong username or password",
                  429: "Too many attempts"})
def create_token() -> tuple[Response, int]:
    """Exchange a username and password for an API token."""
    data = _body(schemas.Credentials)
    limits.check_sign_in(data["username"], what="token requests")
    user = accounts.authenticate(data["username"], data["password"])
    plaintext, token = tokens.create(user, data["name"] or "api")
    return _reply(schemas.NewToken, {
        "token": plaintext, "id": token.id, "name": token.name, "prefix": token.prefix,
        "user": user.username, "role": user.role, "expires_at": iso(token.expires_at)}, 201)


@bp.get("/tokens")
@describe(tags=("auth",), returns=schemas.TokenList)
def list_tokens() -> tuple[Response, int]:
    """My tokens (never their secret part)."""
    user = _user()
    return _reply(schemas.TokenList, {"tokens": [
        {"id": t.id, "name": t.name, "prefix": t.prefix, "created_at": iso(t.created_at),
         "last_used_at": iso(t.last_used_at), "expires_at": iso(t.expires_at),
         "revoked_at": iso(t.revoked_at), "active": t.is_active} for t in tokens.list_for(user)]})


@bp.delete("/tokens/<int:token_id>")
@describe(tags=("auth",), returns=schemas.RevokedToken, errors={404: "No such token of mine"})
def revoke_token(token_id: int) -> tuple[Response, int]:
    """Revoke one of my tokens."""
    token = tokens.revoke(_user(), token_id)
    return _reply(schemas.RevokedToken, {"id": token.id, "revoked_at": iso(token.revoked_at)})


@bp.get("/me")
@describe(tags=("auth",), returns=schemas.Me)
def me() -> tuple[Response, int]:
    """Who the token belongs to."""
    user = _user()
    return _reply(schemas.Me, {"username": user.username, "role": user.role,
                               "created_at": iso(user.created_at)})


@bp.get("/challenges")
@describe(auth="optional", tags=("challenges",), query=schemas.ChallengeQuery,
          returns=schemas.ChallengeList)
def list_challenges() -> tuple[Response, int]:
    """Published challenges in course order, with my best score when authenticated."""
    user = _user(required=False)
    query = _query(schemas.ChallengeQuery)
    rows = [r for r in challenges.list_for(user, concept=query["concept"] or None)
            if query["track"] in (None, r["challenge"].track)]
    return _reply(schemas.ChallengeList, {"challenges": [
        {**challenges.to_dict(r["challenge"]),
         **{key: r[key] for key in ("best_score", "best_code_score", "best_quiz_score",
                                    "attempts", "quiz_attempts", "solved")}} for r in rows]})


@bp.get("/challenges/<slug>")
@describe(auth="optional", tags=("challenges",), returns=schemas.ChallengeDetail,
          errors={404: "Unknown challenge"})
def get_challenge(slug: str) -> tuple[Response, int]:
    """One challenge with its statement (Markdown)."""
    user = _user(required=False)
    challenge = challenges.get(slug, user)
    data = challenges.to_dict(challenge, statement=True)
    if user is not None:
        mine = [submissions.record(s, user) for s in submissions.list_for(user, challenge,
                                                                          limit=20)]
        data["submissions"] = [{"id": r["id"], "kind": r["kind"], "status": r["status"], "score": r["score"],
                                "submitted_at": r["submitted_at"], "course": r["course"]}
                               for r in mine]
    return _reply(schemas.ChallengeDetail, data)


@bp.get("/challenges/<slug>/starter")
@describe(auth="optional", tags=("challenges",), returns="application/zip",
          ok_text="The starter files, statement and public tests", errors={404: "Unknown challenge"})
def starter(slug: str) -> Response:
    """The starter files, statement and public tests as a zip."""
    challenge = challenges.get(slug, _user(required=False))
    return Response(challenges.starter_zip(challenge), mimetype="application/zip", headers={
        "Content-Disposition": f"attachment; filename={challenge.slug}-starter.zip"})


def _upload_answer(version: Any) -> tuple[Response, int]:
    """201 validated, 422 refused (the report beside the error), 202 still being checked."""
    body: dict[str, Any] = {**versions.to_dict(version),
                            "challenge": challenges.to_dict(version.challenge)
                            if version.challenge.current_version else None}
    if version.state != versions.DONE:
        response, status = _reply(schemas.Upload, body, 202)
        response.headers["Location"] = (f"/api/v1/challenges/{version.challenge.slug}"
                                        f"/versions/{version.number}")
        return response, status
    if not version.valid:
        body["error"] = {"code": "validation_failed",
                         "message": "The challenge did not validate: the solution must score full "
                                    "points and the starter and every mutant less"}
        return _reply(schemas.Upload, body, 422)
    return _reply(schemas.Upload, body, 201)


@bp.post("/challenges")
@describe(auth="teacher", tags=("teachers",), body=CHALLENGE_UPLOAD, query=schemas.UploadQuery,
          ok=201, returns=schemas.Upload, ok_text="Validated and published",
          also={202: (schemas.Upload, "Stored; a grading worker still checks it (Location)"),
                422: (schemas.Upload, "Failed validation: the report beside the error")},
          errors={400: "Not a readable zip", 403: "Someone else's challenge",
                  413: "Upload too large", 422: "Invalid folder"})
def upload_challenge() -> tuple[Response, int]:
    """Upload a zipped challenge folder; it is published only if it validates in the sandbox.

    A grading worker checks it: solution/ must score full points, starter/ and every mutants/*
    less. The answer waits for the check (up to `wait` seconds; 0 answers at once with 202) and
    is 201 when it validated, 422 with the report when it did not. A failing version is kept
    with its report and not published. Progress is also sent live (`validation.update`).
    """
    user = _user(teacher=True)
    wait = _query(schemas.UploadQuery)["wait"]
    upload = request.files.get("archive")
    data = upload.read() if upload is not None else request.get_data()
    if not data:
        raise ServiceError(400, "no_archive", "Send the challenge as a zip in the 'archive' field")
    _, version = versions.import_zip(data, user)
    return _upload_answer(versions.wait_for_check(version.id, wait))


@bp.get("/challenges/<slug>/versions/<int:number>")
@describe(auth="teacher", tags=("teachers",), returns=schemas.Upload,
          errors={404: "Unknown challenge or version"})
def get_version(slug: str, number: int) -> tuple[Response, int]:
    """One version of a challenge and its check: queued, running (with the rows so far), done."""
    user = _user(teacher=True)
    version = versions.get(challenges.get(slug, user), number)
    body = {**versions.to_dict(version), "challenge": challenges.to_dict(version.challenge)}
    return _reply(schemas.Upload, body)


@bp.patch("/challenges/<slug>")
@describe(auth="teacher", tags=("teachers",), body=schemas.ChallengeEdit,
          returns=schemas.Challenge,
          errors={404: "Unknown challenge", 409: "Cannot publish an invalid version",
                  422: "Invalid value"})
def edit_challenge(slug: str) -> tuple[Response, int]:
    """Edit a challenge's metadata, or hide or publish it."""
    user = _user(teacher=True)
    challenge = challenges.get(slug, user)
    data = _body(schemas.ChallengeEdit)
    challenges.update_metadata(user, challenge, title=data.get("title"),
                               concepts=data.get("concepts"),
                               difficulty=data.get("difficulty"), order=data.get("order"))
    if "published" in data:
        challenges.set_published(user, challenge, data["published"])
    return _reply(schemas.Challenge, challenges.to_dict(challenge))


@bp.get("/challenges/<slug>/stats")
@describe(auth="teacher", tags=("teachers",), returns=schemas.ChallengeStats,
          errors={404: "Unknown challenge"})
def challenge_stats(slug: str) -> tuple[Response, int]:
    """Attempts, pass rate, median score and the most failed tests of a challenge."""
    user = _user(teacher=True)
    return _reply(schemas.ChallengeStats, challenges.stats(challenges.get(slug, user)))


@bp.get("/challenges/<slug>/scores.csv")
@describe(auth="teacher", tags=("teachers",), returns="text/csv",
          errors={404: "Unknown challenge"})
def challenge_scores(slug: str) -> Response:
    """Every learner's best score on a challenge, as CSV."""
    user = _user(teacher=True)
    challenge = challenges.get(slug, user)
    return Response(challenges.scores_csv(challenge), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={challenge.slug}-scores.csv"})


@bp.post("/challenges/<slug>/regrade")
@describe(auth="teacher", tags=("teachers",), ok=202, returns=schemas.Regraded,
          ok_text="Queued again", errors={404: "Unknown challenge"})
def regrade_challenge(slug: str) -> tuple[Response, int]:
    """Grade every finished submission of a challenge again, on its current version."""
    user = _user(teacher=True)
    ids = submissions.regrade(user, challenge=challenges.get(slug, user))
    return _reply(schemas.Regraded, {"submissions": ids, "count": len(ids)}, 202)


@bp.post("/submissions")
@describe(tags=("submissions",), body=MULTIPART_SUBMISSION, ok=202, returns=schemas.Record,
          ok_text="Stored and queued",
          errors={400: "No files, too many parts or a broken archive",
                  403: "Not a member of the course",
                  404: "Unknown challenge, or not an assignment of the course",
                  409: "The course does not take it now: not_open, closed or submission_limit",
                  413: "Upload too large", 415: "Not a multipart form",
                  422: "Files not part of the challenge", 429: "Too many submissions"})
def submit() -> tuple[Response, int]:
    """Submit files (field name = path) or one `archive` zip for a challenge.

    With `course`, the submission counts for that course's assignment of the challenge: its
    record then carries the course, its lateness (`late_hours`) and `credit`.
    """
    user = _user()
    if request.mimetype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise ServiceError(415, "unsupported_media_type",
                           "Send a submission as multipart/form-data: a 'challenge' field and "
                           "one part per file (named by its path) or one 'archive' .zip")
    form = schemas.load(schemas.SubmissionForm, request.form)
    slug = form["challenge"].strip()
    if not slug:
        raise ServiceError(400, "no_challenge", "Name the challenge in the 'challenge' field")
    files: dict[str, bytes] = {}
    archive: bytes | None = None
    for field, upload in request.files.items(multi=True):
        if field == "archive":
            archive = upload.read()
        else:
            files[field] = upload.read()
    submission = submissions.create(user, slug, files=files or None, archive=archive,
                                    course=form["course"] or None)
    response, status = _reply(schemas.Record, submissions.record(submission, user), 202)
    response.headers["Location"] = f"/api/v1/submissions/{submission.id}"
    return response, status


@bp.get("/submissions")
@describe(tags=("submissions",), query=schemas.SubmissionQuery, returns=schemas.RecordList,
          errors={403: "Only teachers (or the course's staff) may list everyone's",
                  404: "Unknown challenge or course"})
def list_submissions() -> tuple[Response, int]:
    """My submissions, newest first, one page at a time (teachers may ask for everyone's).

    The answer says which page it is, the total, and the URL of the next page (null on the
    last); a page past the end is empty.
    """
    user = _user()
    query = _query(schemas.SubmissionQuery)
    challenge = challenges.get(query["challenge"], user) if query["challenge"] else None
    course = courses.find(query["course"]) if query["course"] else None
    found = submissions.page_for(user, challenge, everyone=query["all"], page=query["page"],
                                 per_page=query["per_page"], course=course)
    args = {key: value for key, value in request.args.items() if key not in ("page", "per_page")}
    following = url_for("api.list_submissions", **args, page=found.page + 1,
                        per_page=found.per_page) if found.has_next else None
    return _reply(schemas.RecordList, {
        "submissions": submissions.records(found.items, user), "page": found.page,
        "per_page": found.per_page, "total": found.total, "next": following})


@bp.get("/submissions/<int:submission_id>")
@describe(tags=("submissions",), returns=schemas.Record,
          errors={403: "Someone else's submission", 404: "No such submission"})
def get_submission(submission_id: int) -> tuple[Response, int]:
    """One submission's result record (before a course's due time, what the course shows)."""
    user = _user()
    return _reply(schemas.Record, submissions.record(submissions.get(user, submission_id), user))


@bp.get("/submissions/<int:submission_id>/files")
@describe(tags=("submissions",), returns=schemas.SubmissionFiles,
          errors={403: "Someone else's submission", 404: "No such submission"})
def submission_files(submission_id: int) -> tuple[Response, int]:
    """The files of a submission (its owner and teachers only)."""
    submission = submissions.get(_user(), submission_id)
    files = submissions.files_of(submission)
    return _reply(schemas.SubmissionFiles, {"files": {
        name: content.decode("utf-8", "replace") for name, content in files.items()}})


@bp.post("/submissions/<int:submission_id>/regrade")
@describe(auth="teacher", tags=("teachers",), ok=202, returns=schemas.Regraded,
          ok_text="Queued again", errors={404: "No such submission"})
def regrade_submission(submission_id: int) -> tuple[Response, int]:
    """Grade one submission again."""
    user = _user(teacher=True)
    ids = submissions.regrade(user, submission=submissions.get(user, submission_id))
    return _reply(schemas.Regraded, {"submissions": ids, "count": len(ids)}, 202)


@bp.get("/leaderboard")
@describe(auth="none", tags=("leaderboard",), returns=schemas.Leaderboard)
def get_leaderboard() -> tuple[Response, int]:
    """The standings: rank, name, score, challenges solved, last improvement."""
    return _reply(schemas.Leaderboard, {"rows": leaderboard.standings()})


@bp.route("/<path:unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown_endpoint(unknown: str) -> Response:
    """Anything else under /api/v1 answers in the API's error shape (404, or 405)."""
    # This catch-all also wins over known paths called with the wrong method: tell them apart.
    known = Map([Rule(r.rule, methods=r.methods, endpoint=r.endpoint)
                 for r in current_app.url_map.iter_rules()
                 if r.endpoint.startswith("api.") and r.endpoint != "api.unknown_endpoint"])
    try:
        known.bind("localhost").match(request.path, method=request.method)
    except MethodNotAllowed as exc:
        allowed = ", ".join(sorted(set(exc.valid_methods or []) - {"HEAD", "OPTIONS"}))
        return error_response(405, "method_not_allowed",
                              f"{request.method} is not allowed on {request.path}; use {allowed}",
                              {"Allow": allowed})
    except NotFound:
        pass
    return error_response(404, "not_found", f"No API endpoint /api/v1/{unknown} "
                                            f"(see /api/v1/openapi.json)")
