"""Error pages: a clear message for every failure, never a traceback."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..services import ServiceError

TITLES = {
    400: "Bad request",
    401: "Sign in required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Upload too large",
    422: "Cannot process this",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}
MESSAGES = {
    400: "The request could not be understood.",
    403: "Your account does not have access to this page.",
    404: "There is nothing at this address.",
    405: "This address does not accept that kind of request.",
    413: "The upload is larger than the server accepts.",
    500: "The server hit an error. It has been logged; please try again.",
}
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "unprocessable",
         429: "rate_limited", 500: "internal_error", 503: "unavailable"}


def wants_json() -> bool:
    """API clients get the API's JSON error shape; browsers get a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes["text/html"]


def error_response(status: int, message: str, code: str | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    """One error, as JSON for API clients or as the site's error page."""
    if wants_json():
        response = jsonify({"error": {"code": code or CODES.get(status, "error"), "message": message}})
    else:
        response = Response(render_template(
            "errors/error.html", code=status, title=TITLES.get(status, "Error"), message=message))
    response.status_code = status
    response.headers.update(headers or {})
    return response


def handle_http_exception(exc: HTTPException) -> Response:
    """Werkzeug's HTTP errors (abort(404), 413 from MAX_CONTENT_LENGTH, ...)."""
    status = exc.code or 500
    if status == 413:
        limit = request.max_content_length
        message = "The upload is too large"
        if limit:
            message += f"; the limit is {limit // (1024 * 1024)} MB"
        message += ". Nothing was stored."
    elif status == 401:
        message = "Sign in to continue."
    else:
        message = MESSAGES.get(status) or exc.description or TITLES.get(status, "Error")
    headers = {k: v for k, v in exc.get_headers() if k.lower() in ("allow", "retry-after")}
    return error_response(status, message, headers=headers)


def handle_csrf_error(exc: CSRFError) -> Response:
    """A form post without a valid CSRF token: 400, and nothing is changed."""
    return error_response(
        400, f"The form was refused ({exc.description}). Reload the page and try again.",
        code="csrf_failed")


def handle_service_error(exc: ServiceError) -> Response:
    """An expected failure from the service layer, with its own status and message."""
    return error_response(exc.status, exc.message, code=exc.code, headers=exc.headers)


def handle_unexpected(exc: Exception) -> Response:
    """Anything else: logged with its traceback, shown as a plain 500 page."""
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(500, MESSAGES[500])


def init_app(app: Flask) -> None:
    """Install the handlers for the whole application."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InternalServerError, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
