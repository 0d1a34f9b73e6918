"""The API blueprint: token authentication and the one JSON error shape of every answer."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_login import current_user
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from runner.submission import MAX_FILES

from ..services import ServiceError, tokens

bp = Blueprint("api", __name__, url_prefix="/api/v1")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    """The API's only error shape: {"error": {"code", "message"}}."""
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> Response:
    return error_response(exc.status, exc.code, exc.message, exc.headers)


@bp.errorhandler(ValidationError)
def _invalid_request(exc: ValidationError) -> Response:
    problems = "; ".join(f"{field}: {' '.join(map(str, reasons)) if isinstance(reasons, list) else reasons}"
                         for field, reasons in sorted(exc.normalized_messages().items()))
    return error_response(422, "invalid_request", f"The request is not valid: {problems}")


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large",
              415: "unsupported_media_type", 422: "unprocessable", 429: "rate_limited"}


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    message = exc.description or exc.name
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        if request.content_length is not None and request.content_length <= limit:
            # Werkzeug says 413 for a form of too many parts too: the body is not too large.
            parts = current_app.config.get("MAX_FORM_PARTS") or 1000
            return error_response(400, "too_many_parts",
                                  f"The form has more than {parts} parts; send at most "
                                  f"{MAX_FILES} files, or one .zip archive of your project")
        message = f"The upload is too large; the limit is {limit // (1024 * 1024)} MB"
    if status == 429:
        headers = {"Retry-After": exc.response.headers["Retry-After"]} \
            if exc.response is not None and "Retry-After" in exc.response.headers else None
        return error_response(status, "rate_limited", message, headers)
    return error_response(status, HTTP_CODES.get(status, "http_error"), message)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    current_app.logger.exception("API error")
    return error_response(500, "internal_error", "The server failed; the error was logged")


@bp.before_request
def _authenticate() -> None:
    """Resolve `Authorization: Bearer <token>`; a browser session may read (never write)."""
    g.api_user = None
    g.auth_error = None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            g.auth_error = ServiceError(401, "unauthorized",
                                        "Use 'Authorization: Bearer <token>'")
            return
        try:
            g.api_user = tokens.authenticate(value.strip())
        except ServiceError as exc:
            g.auth_error = exc
        return
    if request.method in SAFE_METHODS and current_user.is_authenticated:
        # Cookie auth for reads only: the API is exempt from CSRF, so writes need a token.
        g.api_user = current_user._get_current_object()
