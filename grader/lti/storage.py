"""Where PyLTI1p3 keeps what a launch needs across requests, its cookies, and its HTTP client.

Nonces, OIDC state and launch data go to a database table, so any web process can finish a
login another one started; a nonce is used once. Cookies set for a launch inside the LMS's
iframe are `SameSite=None; Secure`, which browsers accept over HTTPS and on loopback hosts.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Response, current_app
from flask import request as flask_request
from pylti1p3.contrib.flask import FlaskCookieService
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from sqlalchemy import delete

from ..extensions import db
from ..models import utcnow
from .models import LtiStoredValue
from .platforms import is_loopback

DEFAULT_LIFETIME_S = 86400
HTTP_TIMEOUT_S = 10.0


class DatabaseLaunchStorage(LaunchDataStorage[Any]):
    """PyLTI1p3's launch data storage on the database every web process shares.

    Values are not tied to a per-browser session id: the OIDC state cookie already ties a
    launch to the browser that started it, and a session cookie of its own would be one more
    cookie for a browser that blocks third-party cookies to drop.
    """

    def get_session_cookie_name(self) -> str | None:
        return None

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str) -> Any:
        row = db.session.get(LtiStoredValue, self._prepare_key(key)[:255])
        if row is None or row.expires_at <= utcnow():
            return None
        return row.value

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        now = utcnow()
        db.session.execute(delete(LtiStoredValue).where(LtiStoredValue.expires_at <= now))
        db.session.merge(LtiStoredValue(
            key=self._prepare_key(key)[:255], value=value,
            expires_at=now + timedelta(seconds=exp or DEFAULT_LIFETIME_S)))
        db.session.commit()

    def check_value(self, key: str) -> bool:
        return self.get_value(key) is not None

    def consume(self, key: str) -> bool:
        """Delete a live value; True only for the one caller that removed it (a nonce's use)."""
        result = db.session.execute(delete(LtiStoredValue).where(
            LtiStoredValue.key == self._prepare_key(key)[:255],
            LtiStoredValue.expires_at > utcnow()))
        db.session.commit()
        return result.rowcount == 1


def cross_site_cookies() -> bool:
    """Can this request's cookies be `SameSite=None; Secure` (HTTPS, or a loopback host)?"""
    return flask_request.is_secure or is_loopback(urlsplit(flask_request.host_url).hostname)


class FramedCookieService(FlaskCookieService):
    """PyLTI1p3's cookies, usable inside the platform's iframe where the browser allows it.

    PyLTI1p3 marks them `SameSite=None` over HTTPS only; browsers also take `Secure` cookies
    from loopback hosts, where the tool runs in development and in the test suite.
    """

    def update_response(self, response: Response) -> None:
        framed = cross_site_cookies()
        for key, data in self._cookie_data_to_set.items():
            response.set_cookie(key=key, value=str(data["value"]), max_age=data["exp"], path="/",
                                httponly=True, secure=framed,
                                samesite="None" if framed else "Lax")


class TimeoutSession(requests.Session):
    """A requests session whose calls give up after a while (PyLTI1p3 sets no timeout)."""

    def __init__(self, timeout: float | None = None) -> None:
        super().__init__()
        self.timeout = timeout or float(current_app.config.get("GRADER_LTI_HTTP_TIMEOUT_S",
                                                               HTTP_TIMEOUT_S))
        self.headers["User-Agent"] = "flask-concept-grader (LTI 1.3 tool)"

    def request(self, method: str | bytes, url: str | bytes, *args: Any,  # type: ignore[override]
                **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)
