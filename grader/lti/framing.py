"""The tool's pages inside the LMS's iframe: framable by the launching platform, and a session
cookie the browser sends there.

A launch marks the session with the origins of its platform. From then on every page of that
session may be framed by those origins only (CSP frame-ancestors), and the session cookie is
`SameSite=None; Secure` so the browser sends it inside the cross-site frame.
"""

from __future__ import annotations

from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface

from ..web.headers import allow_framing
from .storage import cross_site_cookies

SESSION_KEY = "lti_frame_origins"


def _framed() -> bool:
    return bool(session.get(SESSION_KEY)) and cross_site_cookies()


class FramedSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, cross-site for sessions that began with a launch."""

    def get_cookie_samesite(self, app: Flask) -> str | None:
        return "None" if _framed() else super().get_cookie_samesite(app)

    def get_cookie_secure(self, app: Flask) -> bool:
        return True if _framed() else super().get_cookie_secure(app)


def mark(origins: list[str]) -> None:
    """This session began in an LMS: its pages may be framed by these origins."""
    session[SESSION_KEY] = origins
    allow_framing(origins)


def allow_session_framing() -> None:
    """Before each request: a launched session's pages may be framed by its platform."""
    origins = session.get(SESSION_KEY)
    if origins:
        allow_framing(origins)
