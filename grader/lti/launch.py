"""OIDC login and launch validation (PyLTI1p3's Flask adapter), and what a valid launch does.

PyLTI1p3 checks the state, the signature against the platform's key set, the registration,
the deployment and the message; on top of it a launch must carry `exp` and `iat`, name this
tool in its audience, and use its nonce once: a replayed id_token is refused.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.exception import LtiException

from . import platforms
from .storage import DatabaseLaunchStorage, FramedCookieService, TimeoutSession

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = CLAIM + "message_type"
CUSTOM = CLAIM + "custom"
CONTEXT = CLAIM + "context"
RESOURCE_LINK = CLAIM + "resource_link"
DEPLOYMENT = CLAIM + "deployment_id"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "lti_deployment_id",
                "client_id")

# What PyLTI1p3's messages mean for the person in front of the refused launch.
REASONS = (
    ("State not found", ("this browser did not start this launch (or its cookies are blocked "
                         "inside the LMS's frame): open the tool in a new window from the LMS")),
    ("Missing state", "the launch came without its state: start it again from the LMS"),
    ("Invalid Nonce", "this launch was already used or is too old: start it again from the LMS"),
    ("Signature has expired", "the launch has expired: start it again from the LMS"),
    ("not yet valid", "the launch is dated in the future: check the LMS server's clock"),
    ("Signature verification failed", "its signature does not match the platform's keys"),
    ("Unable to find public key", "it is signed with a key the platform does not publish"),
    ("Could not find registration", ("no platform with this issuer (and client id) is "
                                     "registered here")),
    ("Could not find issuer", "the LMS did not say which platform it is (iss)"),
    ("Could not find login hint", "the LMS sent no login_hint"),
    ("Registration not found", "no platform with this issuer and client id is registered here"),
    ("Unable to find deployment", "this deployment of the tool is not registered here"),
    ("Client id not registered", "no platform with this issuer and client id is registered here"),
    ("audience", "it is addressed to another tool"),
    ("is missing the", "it lacks a required claim"),
)


def explain(error: Exception) -> str:
    """One sentence a person can act on, for a refused launch or login."""
    text = str(error)
    for needle, reason in REASONS:
        if needle.lower() in text.lower():
            return reason
    return f"it is not a valid LTI 1.3 message ({text})"


class ToolLogin(FlaskOIDCLogin):
    """The OIDC login, whose cookie check is a page of ours (PyLTI1p3's has inline script, which
    the pages' Content-Security-Policy refuses)."""

    def get_cookies_allowed_js_check(self) -> str:
        params = {"lti1p3_new_window": "1"}
        for name in LOGIN_PARAMS:
            value = self._get_request_param(name)
            if value:
                params[name] = value
        return render_template("lti/cookies.html", params=params,
                               secure=self._request.is_secure())


class ToolLaunch(FlaskMessageLaunch):
    """A launch that needs `exp` and `iat`, this tool in its audience, and an unused nonce."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_jwt_verify_options({"verify_aud": False, "require": ["exp", "iat"]})

    def validate_registration(self) -> ToolLaunch:
        super().validate_registration()
        body = self._get_jwt_body()
        audience = body.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        client_id = self._registration.get_client_id() if self._registration else None
        if client_id not in audiences:
            raise LtiException("The audience does not name this tool")
        if len(audiences) > 1 and body.get("azp") != client_id:
            raise LtiException("The audience names several tools and azp is not this one")
        return self

    def save_launch_data(self) -> ToolLaunch:
        # The last step, after the signature holds: the nonce is used up here, atomically, so
        # of two posts of one id_token only the first goes through.
        storage = self._session_service.data_storage
        nonce = self._get_jwt_body().get("nonce")
        # SessionService keys nonces as "lti1p3-nonce-<nonce>".
        if not isinstance(storage, DatabaseLaunchStorage) or \
                not storage.consume(f"lti1p3-nonce-{nonce}"):
            raise LtiException("Invalid Nonce: the nonce was spent by an earlier launch")
        super().save_launch_data()
        return self


def tool_config() -> platforms.DatabaseToolConf:
    """The platform table, as PyLTI1p3 reads it."""
    return platforms.DatabaseToolConf()


def login(config: platforms.DatabaseToolConf) -> ToolLogin:
    """The OIDC login initiation for the current request, with the cookie check enabled."""
    request = FlaskRequest()
    return ToolLogin(request, config, cookie_service=FramedCookieService(request),
                     launch_data_storage=DatabaseLaunchStorage()).enable_check_cookies()


def message_launch(config: platforms.DatabaseToolConf) -> ToolLaunch:
    """The launch posted to /lti/launch, not yet validated."""
    request = FlaskRequest()
    return ToolLaunch(request, config, cookie_service=FramedCookieService(request),
                      launch_data_storage=DatabaseLaunchStorage(),
                      requests_session=TimeoutSession())


def restore(launch_id: str, config: platforms.DatabaseToolConf) -> ToolLaunch:
    """A validated launch kept by id (the deep linking picker posts back to it)."""
    request = FlaskRequest()
    return ToolLaunch.from_cache(launch_id, request, config,
                                 cookie_service=FramedCookieService(request),
                                 launch_data_storage=DatabaseLaunchStorage(),
                                 requests_session=TimeoutSession())
