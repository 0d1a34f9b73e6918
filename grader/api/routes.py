"""The API's views: thin wrappers over the services."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, jsonify, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from .. import statuses
from ..models import User, iso
from ..services import ServiceError, accounts, challenges, jobs, leaderboard, submissions, tokens
from . import bp, error_response
from .spec import build, describe

MULTIPART_SUBMISSION = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["challenge"],
    "properties": {"challenge": {"type": "string", "description": "the challenge slug"},
                   "archive": {"type": "string", "format": "binary",
                               "description": "a .zip of the project (instead of files)"}},
    "additionalProperties": {"type": "string", "format": "binary",
                             "description": "one file; the field name is its path"}}}}}
CHALLENGE_UPLOAD = {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["archive"], "properties": {
        "archive": {"type": "string", "format": "binary",
                    "description": "a .zip of a challenge folder"}}}},
    "application/zip": {"schema": {"type": "string", "format": "binary"}}}}
CREDENTIALS = {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["username", "password"],
    "properties": {"username": {"type": "string"}, "password": {"type": "string"},
                   "name": {"type": "string", "description": "a label for the token"}}}}}}


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


def _payload() -> dict[str, Any]:
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise ServiceError(400, "bad_json", "The request body must be a JSON object")
        return data
    return request.form.to_dict()


@bp.get("/openapi.json")
@describe(auth="none", tags=("meta",))
def openapi() -> Response:
    """This document: the API described as OpenAPI 3, generated from the routes."""
    return jsonify(build())


@bp.get("/status")
@describe(auth="none", tags=("meta",))
def status() -> Response:
    """Is grading running or paused (Docker engine down), and how many submissions wait."""
    return jsonify({**jobs.status(), "queue": current_app.config["GRADER_QUEUE"],
                    "pending": submissions.pending_count()})


@bp.get("/statuses")
@describe(auth="none", tags=("meta",))
def list_statuses() -> Response:
    """Every submission status, its label, and whether it is final and counts for scores."""
    return jsonify({"statuses": statuses.vocabulary()})


@bp.post("/tokens")
@describe(auth="none", tags=("auth",), body=CREDENTIALS,
          responses={201: "The token, shown only this once", 401: "Wrong username or password"})
def create_token() -> tuple[Response, int]:
    """Exchange a username and password for an API token."""
    data = _payload()
    user = accounts.authenticate(str(data.get("username", "")), str(data.get("password", "")))
    plaintext, token = tokens.create(user, str(data.get("name") or "api"))
    return jsonify({"token": plaintext, "id": token.id, "name": token.name,
                    "prefix": token.prefix, "user": user.username, "role": user.role,
                    "expires_at": iso(token.expires_at)}), 201


@bp.get("/tokens")
@describe(tags=("auth",))
def list_tokens() -> Response:
    """My tokens (never their secret part)."""
    user = _user()
    return jsonify({"tokens": [
        {"id": t.id, "name": t.name, "prefix": t.prefix, "created_at": iso(t.created_at),
         "last_used_at": iso(t.last_used_at), "expires_at": iso(t.expires_at),
         "revoked_at": iso(t.revoked_at), "active": t.is_active} for t in tokens.list_for(user)]})


@bp.delete("/tokens/<int:token_id>")
@describe(tags=("auth",), responses={404: "No such token of mine"})
def revoke_token(token_id: int) -> Response:
    """Revoke one of my tokens."""
    token = tokens.revoke(_user(), token_id)
    return jsonify({"id": token.id, "revoked_at": iso(token.revoked_at)})


@bp.get("/me")
@describe(tags=("auth",))
def me() -> Response:
    """Who the token belongs to."""
    user = _user()
    return jsonify({"username": user.username, "role": user.role,
                    "created_at": iso(user.created_at)})


@bp.get("/challenges")
@describe(auth="optional", tags=("challenges",), query={"concept": "only this concept id"})
def list_challenges() -> Response:
    """Published challenges in course order, with my best score when authenticated."""
    user = _user(required=False)
    rows = challenges.list_for(user, concept=request.args.get("concept") or None)
    return jsonify({"challenges": [
        {**challenges.to_dict(r["challenge"]), "best_score": r["best_score"],
         "attempts": r["attempts"], "solved": r["solved"]} for r in rows]})


@bp.get("/challenges/<slug>")
@describe(auth="optional", tags=("challenges",), responses={404: "Unknown challenge"})
def get_challenge(slug: str) -> Response:
    """One challenge with its statement (Markdown)."""
    user = _user(required=False)
    challenge = challenges.get(slug, user)
    data = challenges.to_dict(challenge, statement=True)
    if user is not None:
        mine = submissions.list_for(user, challenge, limit=20)
        data["submissions"] = [{"id": s.id, "status": s.status, "score": s.score,
                                "submitted_at": iso(s.submitted_at)} for s in mine]
    return jsonify(data)


@bp.get("/challenges/<slug>/starter")
@describe(auth="optional", tags=("challenges",), responses={404: "Unknown challenge"})
def starter(slug: str) -> Response:
    """The starter files, statement and public tests as a zip."""
    challenge = challenges.get(slug, _user(required=False))
    return Response(challenges.starter_zip(challenge), mimetype="application/zip", headers={
        "Content-Disposition": f"attachment; filename={challenge.slug}-starter.zip"})


@bp.post("/challenges")
@describe(auth="teacher", tags=("teachers",), body=CHALLENGE_UPLOAD,
          responses={201: "Validated and published", 400: "Not a readable zip",
                     413: "Upload too large", 422: "Invalid folder or failed validation",
                     503: "The sandbox is unavailable"})
def upload_challenge() -> tuple[Response, int]:
    """Upload a zipped challenge folder; it is published only if it validates in the sandbox.

    Validation grades solution/ (must score full points), starter/ and every mutants/* (each
    must score less). A failing version is kept with its report and not published.
    """
    user = _user(teacher=True)
    upload = request.files.get("archive")
    data = upload.read() if upload is not None else request.get_data()
    if not data:
        raise ServiceError(400, "no_archive", "Send the challenge as a zip in the 'archive' field")
    challenge, version = challenges.import_zip(data, user)
    body = {"challenge": challenges.to_dict(challenge) if challenge.current_version else None,
            "version": version.number, "valid": version.valid, "published": challenge.published,
            "report": version.report}
    if not version.valid:
        body["error"] = {"code": "validation_failed",
                         "message": "The challenge did not validate: the solution must score full "
                                    "points and the starter and every mutant less"}
        return jsonify(body), 422
    return jsonify(body), 201


@bp.patch("/challenges/<slug>")
@describe(auth="teacher", tags=("teachers",), responses={404: "Unknown challenge",
                                                          409: "Cannot publish an invalid version",
                                                          422: "Invalid value"},
          body={"content": {"application/json": {"schema": {"type": "object", "properties": {
              "title": {"type": "string"}, "concepts": {"type": "array",
                                                        "items": {"type": "string"}},
              "difficulty": {"type": "integer"}, "order": {"type": "integer"},
              "published": {"type": "boolean"}}}}}})
def edit_challenge(slug: str) -> Response:
    """Edit a challenge's metadata, or hide or publish it."""
    user = _user(teacher=True)
    challenge = challenges.get(slug, user)
    data = _payload()
    try:
        difficulty = int(data["difficulty"]) if "difficulty" in data else None
        order = int(data["order"]) if "order" in data else None
    except (TypeError, ValueError):
        raise ServiceError(422, "invalid_value", "difficulty and order must be integers") from None
    concepts = data.get("concepts")
    if isinstance(concepts, str):
        concepts = concepts.split(",")
    challenges.update_metadata(user, challenge, title=data.get("title"), concepts=concepts,
                               difficulty=difficulty, order=order)
    if "published" in data:
        challenges.set_published(user, challenge, data["published"] in (True, "true", "1", 1))
    return jsonify(challenges.to_dict(challenge))


@bp.get("/challenges/<slug>/stats")
@describe(auth="teacher", tags=("teachers",), responses={404: "Unknown challenge"})
def challenge_stats(slug: str) -> Response:
    """Attempts, pass rate, median score and the most failed tests of a challenge."""
    user = _user(teacher=True)
    return jsonify(challenges.stats(challenges.get(slug, user)))


@bp.get("/challenges/<slug>/scores.csv")
@describe(auth="teacher", tags=("teachers",), responses={404: "Unknown challenge"})
def challenge_scores(slug: str) -> Response:
    """Every learner's best score on a challenge, as CSV."""
    user = _user(teacher=True)
    challenge = challenges.get(slug, user)
    return Response(challenges.scores_csv(challenge), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={challenge.slug}-scores.csv"})


@bp.post("/challenges/<slug>/regrade")
@describe(auth="teacher", tags=("teachers",), responses={202: "Queued again",
                                                          404: "Unknown challenge"})
def regrade_challenge(slug: str) -> tuple[Response, int]:
    """Grade every finished submission of a challenge again, on its current version."""
    user = _user(teacher=True)
    ids = submissions.regrade(user, challenge=challenges.get(slug, user))
    return jsonify({"submissions": ids, "count": len(ids)}), 202


@bp.post("/submissions")
@describe(tags=("submissions",), body=MULTIPART_SUBMISSION, returns="Record",
          responses={202: "Stored and queued", 400: "No files or a broken archive",
                     404: "Unknown challenge", 413: "Upload too large",
                     422: "Files not part of the challenge", 429: "Too many submissions"})
def submit() -> tuple[Response, int]:
    """Submit files (field name = path) or one `archive` zip for a challenge."""
    user = _user()
    slug = (request.form.get("challenge") or "").strip()
    if not slug:
        raise ServiceError(400, "no_challenge", "Name the challenge in the 'challenge' field")
    files: dict[str, bytes] = {}
    archive: bytes | None = None
    for field, upload in request.files.items(multi=True):
        if field == "archive":
            archive = upload.read()
        else:
            files[field] = upload.read()
    submission = submissions.create(user, slug, files=files or None, archive=archive)
    response = jsonify(submissions.record(submission))
    response.headers["Location"] = f"/api/v1/submissions/{submission.id}"
    return response, 202


@bp.get("/submissions")
@describe(tags=("submissions",), query={"challenge": "only this challenge's submissions",
                                        "all": "teachers: everyone's submissions (1)"})
def list_submissions() -> Response:
    """My submissions, newest first (teachers may ask for everyone's)."""
    user = _user()
    slug = request.args.get("challenge")
    challenge = challenges.get(slug, user) if slug else None
    everyone = request.args.get("all") in ("1", "true")
    rows = submissions.list_for(user, challenge, everyone=everyone)
    return jsonify({"submissions": [submissions.record(s) for s in rows]})


@bp.get("/submissions/<int:submission_id>")
@describe(tags=("submissions",), returns="Record",
          responses={403: "Someone else's submission", 404: "No such submission"})
def get_submission(submission_id: int) -> Response:
    """One submission's result record."""
    return jsonify(submissions.record(submissions.get(_user(), submission_id)))


@bp.get("/submissions/<int:submission_id>/files")
@describe(tags=("submissions",), responses={403: "Someone else's submission",
                                            404: "No such submission"})
def submission_files(submission_id: int) -> Response:
    """The files of a submission (its owner and teachers only)."""
    submission = submissions.get(_user(), submission_id)
    files = submissions.files_of(submission)
    return jsonify({"files": {name: content.decode("utf-8", "replace")
                              for name, content in files.items()}})


@bp.post("/submissions/<int:submission_id>/regrade")
@describe(auth="teacher", tags=("teachers",), responses={202: "Queued again",
                                                          404: "No such submission"})
def regrade_submission(submission_id: int) -> tuple[Response, int]:
    """Grade one submission again."""
    user = _user(teacher=True)
    ids = submissions.regrade(user, submission=submissions.get(user, submission_id))
    return jsonify({"submissions": ids, "count": len(ids)}), 202


@bp.get("/leaderboard")
@describe(auth="none", tags=("leaderboard",))
def get_leaderboard() -> Response:
    """The standings: rank, name, score, challenges solved, last improvement."""
    return jsonify({"rows": leaderboard.standings()})


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
