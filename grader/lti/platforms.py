"""Registered platforms: registering and updating one, listing them, and the tool configuration
PyLTI1p3 reads them through."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy import func, select

from ..extensions import db
from ..models import iso, utcnow
from ..services.errors import ServiceError
from . import keys
from .models import FAILED, PENDING, LtiContext, LtiPassback, LtiPlatform, LtiResourceLink

MAX_DEPLOYMENTS = 50


def check_url(value: str | None, what: str) -> str:
    """An http(s) URL with a host, or a 422 naming the setting."""
    text = (value or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(text) > 1000:
        raise ServiceError(422, "invalid_url",
                           f"{what} must be an http:// or https:// URL, got {text!r}")
    return text


def origin(url: str) -> str:
    """`https://lms.example.edu` of any URL on that site (scheme, host and port)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_loopback(host: str | None) -> bool:
    """Is this host this machine (where browsers treat plain http as a secure context)?"""
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _deployments(values: list[str] | tuple[str, ...]) -> list[str]:
    cleaned = []
    for value in values:
        for part in str(value).replace(",", " ").split():
            if len(part) > 255:
                raise ServiceError(422, "invalid_deployment", "A deployment id has at most 255 "
                                                              "characters")
            if part not in cleaned:
                cleaned.append(part)
    return cleaned


def register(issuer: str, client_id: str, deployment_ids: list[str] | tuple[str, ...],
             login_url: str, token_url: str, jwks_url: str,
             replace_deployments: bool = False) -> tuple[LtiPlatform, bool]:
    """Register a platform, or update the one with this issuer and client id.

    Its deployment ids are added to those already known (`replace_deployments`: these only).
    Returns the platform and whether it is new.
    """
    issuer = check_url(issuer, "the issuer")
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 255:
        raise ServiceError(422, "invalid_client_id", "The client id must be 1-255 characters")
    given = _deployments(deployment_ids)
    if not given:
        raise ServiceError(422, "invalid_deployment", "Give at least one deployment id")
    urls = {"login_url": check_url(login_url, "the login URL"),
            "token_url": check_url(token_url, "the token URL"),
            "jwks_url": check_url(jwks_url, "the key set URL")}
    platform = find(issuer, client_id)
    created = platform is None
    if platform is None:
        platform = LtiPlatform(issuer=issuer, client_id=client_id, deployment_ids=[],
                               frame_origins=[])
        db.session.add(platform)
    known = [] if replace_deployments else list(platform.deployment_ids or [])
    merged = known + [d for d in given if d not in known]
    if len(merged) > MAX_DEPLOYMENTS:
        raise ServiceError(422, "invalid_deployment",
                           f"A platform has at most {MAX_DEPLOYMENTS} deployment ids")
    platform.deployment_ids = merged
    for name, value in urls.items():
        setattr(platform, name, value)
    db.session.commit()
    return platform, created


def find(issuer: str, client_id: str | None = None) -> LtiPlatform | None:
    """The platform of this issuer (and client id; without one, the issuer's only platform)."""
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id:
        return db.session.scalar(query.where(LtiPlatform.client_id == client_id))
    found = list(db.session.scalars(query.limit(2)))
    return found[0] if len(found) == 1 else None


def get(platform_id: int) -> LtiPlatform:
    """A platform by id, or a 404."""
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None:
        raise ServiceError(404, "not_found", f"Platform {platform_id} was not found")
    return platform


def every() -> list[LtiPlatform]:
    """Every registered platform, by issuer."""
    return list(db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.issuer,
                                                                LtiPlatform.client_id)))


def summary(platform: LtiPlatform) -> dict[str, Any]:
    """A platform as the list shows it: endpoints, last launch and passback, waiting scores."""
    counts = dict(db.session.execute(
        select(LtiPassback.state, func.count(LtiPassback.id))
        .join(LtiResourceLink, LtiResourceLink.id == LtiPassback.resource_link_id)
        .join(LtiContext, LtiContext.id == LtiResourceLink.context_id)
        .where(LtiContext.platform_id == platform.id, LtiPassback.state.in_((PENDING, FAILED)))
        .group_by(LtiPassback.state)).all())
    courses = db.session.scalar(select(func.count(LtiContext.id)).where(
        LtiContext.platform_id == platform.id)) or 0
    return {"id": platform.id, "issuer": platform.issuer, "client_id": platform.client_id,
            "deployment_ids": list(platform.deployment_ids or []),
            "login_url": platform.login_url, "token_url": platform.token_url,
            "jwks_url": platform.jwks_url, "courses": courses,
            "last_launch_at": iso(platform.last_launch_at),
            "last_passback_at": iso(platform.last_passback_at),
            "pending": counts.get(PENDING, 0), "failed": counts.get(FAILED, 0)}


def allowed_frame_origins(platform: LtiPlatform) -> list[str]:
    """The origins whose pages may frame the tool for this platform."""
    seen: list[str] = []
    for candidate in [platform.issuer, platform.login_url, *(platform.frame_origins or [])]:
        value = origin(candidate)
        if value not in seen:
            seen.append(value)
    return seen


def origin_of(header: str | None) -> str | None:
    """The http(s) origin of an `Origin` header, or None (absent, `null` or not a URL)."""
    if not header or header == "null":
        return None
    try:
        return origin(check_url(header, "Origin"))
    except ServiceError:
        return None


def note_origin(platform: LtiPlatform, header: str | None) -> None:
    """Remember the origin a valid launch was posted from (the LMS's own site)."""
    value = origin_of(header)
    if value is None:
        return
    known = list(platform.frame_origins or [])
    if value not in known and value not in allowed_frame_origins(platform):
        platform.frame_origins = [*known, value][-20:]


def touch(platform: LtiPlatform, launched: bool = False, passed_back: bool = False) -> None:
    """Record a successful launch or passback (committed by the caller)."""
    now = utcnow()
    if launched:
        platform.last_launch_at = now
    if passed_back:
        platform.last_passback_at = now


def registration(platform: LtiPlatform) -> Registration:
    """PyLTI1p3's view of the platform, with the tool's signing key."""
    key = keys.signing_key()
    return (Registration().set_issuer(platform.issuer).set_client_id(platform.client_id)
            .set_key_set_url(platform.jwks_url).set_auth_token_url(platform.token_url)
            .set_auth_login_url(platform.login_url).set_tool_private_key(key.private_pem)
            .set_tool_public_key(key.public_pem))


class DatabaseToolConf(ToolConfAbstract):
    """PyLTI1p3's tool configuration, read from the platform table.

    An issuer with one registered client may leave the client id out of its login request;
    one with several must send it.
    """

    def __init__(self) -> None:
        self.platform: LtiPlatform | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        return (db.session.scalar(select(func.count(LtiPlatform.id)).where(
            LtiPlatform.issuer == iss)) or 0) == 1

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return not self.check_iss_has_one_client(iss)

    def _found(self, platform: LtiPlatform | None) -> Registration | None:
        self.platform = platform
        return registration(platform) if platform is not None else None

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Any:
        return self._found(find(iss))

    def find_registration_by_params(self, iss: str, client_id: str, *args: Any,
                                    **kwargs: Any) -> Any:
        return self._found(find(iss, client_id) if client_id else None)

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self._deployment(find(iss), deployment_id)

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str,
                                  *args: Any, **kwargs: Any) -> Deployment | None:
        return self._deployment(find(iss, client_id), deployment_id)

    @staticmethod
    def _deployment(platform: LtiPlatform | None, deployment_id: str) -> Deployment | None:
        if platform is None or deployment_id not in (platform.deployment_ids or []):
            return None
        return Deployment().set_deployment_id(deployment_id)
