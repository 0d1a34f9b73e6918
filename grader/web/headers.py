"""Security headers for the pages: everything they load comes from this server."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Response, g, request

# Scripts only from /static (no inline script, no CDN); inline style attributes are allowed
# because CodeMirror and a few templates set them; statement images may link to https sites.
DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY = "; ".join(DIRECTIVES)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def allow_framing(origins: Iterable[str]) -> None:
    """Let these origins frame this request's page (an LMS showing the tool in its iframe)."""
    g.frame_ancestors = [o for o in origins if o]


def allow_form_action(origins: Iterable[str]) -> None:
    """Let this request's page post a form to these origins (a deep linking answer)."""
    g.form_action = [o for o in origins if o]


def content_security_policy() -> str:
    """The policy of this request's page: the default, widened by `allow_framing` and
    `allow_form_action` for it alone."""
    framing, posting = g.get("frame_ancestors"), g.get("form_action")
    if not framing and not posting:
        return CONTENT_SECURITY_POLICY
    directives = []
    for directive in DIRECTIVES:
        if framing and directive.startswith("frame-ancestors"):
            directive = " ".join(["frame-ancestors 'self'", *framing])
        elif posting and directive.startswith("form-action"):
            directive = " ".join(["form-action 'self'", *posting])
        directives.append(directive)
    return "; ".join(directives)


def add_security_headers(response: Response) -> Response:
    """Set the headers on every response that does not already choose its own."""
    for name, value in HEADERS.items():
        if name == "X-Frame-Options" and g.get("frame_ancestors"):
            continue  # it cannot name origins; the policy's frame-ancestors does
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
    return response


HSTS = "max-age=31536000; includeSubDomains"


def add_hsts(response: Response) -> Response:
    """Over HTTPS (directly or behind a trusted proxy), browsers are told to stay on HTTPS."""
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


class SecureCookiesOverHttps:
    """WSGI middleware: every cookie set in an answer to an HTTPS request is marked `Secure`.

    Flask's session cookie and Flask-Login's remember-me cookie read a fixed setting; the
    scheme is known per request (after `ProxyFix`), so the flag is added to the final headers,
    whichever part of the app set the cookie.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        if environ.get("wsgi.url_scheme") != "https":
            return self.app(environ, start_response)

        def secure_start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            headers = [(name, _secure(value) if name.lower() == "set-cookie" else value)
                       for name, value in headers]
            return start_response(status, headers, *args)

        return self.app(environ, secure_start)


def _secure(cookie: str) -> str:
    attributes = {part.strip().split("=", 1)[0].lower() for part in cookie.split(";")[1:]}
    return cookie if "secure" in attributes else f"{cookie}; Secure"
