"""API tokens: shown once, stored as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken, User, utcnow
from .errors import ServiceError, not_found

TOKEN_PREFIX = "gdr_"


def _hash(plaintext: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough (no password stretching needed).
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def create(user: User, name: str, days: int | None = None) -> tuple[str, ApiToken]:
    """A new token for `user`: returns (plaintext shown once, stored row)."""
    name = (name or "").strip() or "token"
    if len(name) > 80:
        raise ServiceError(422, "invalid_name", "Token names are at most 80 characters")
    days = current_app.config["GRADER_TOKEN_DAYS"] if days is None else days
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=plaintext[:10], token_hash=_hash(plaintext),
                     expires_at=utcnow() + timedelta(days=days) if days > 0 else None)
    db.session.add(token)
    db.session.commit()
    return plaintext, token


def list_for(user: User) -> list[ApiToken]:
    """A user's tokens, newest first (revoked ones included, marked)."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def revoke(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (idempotent)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise not_found("Token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def authenticate(plaintext: str | None) -> User:
    """The owner of an active token, or a 401 ServiceError saying why not."""
    if not plaintext:
        raise ServiceError(401, "unauthorized",
                           "Authentication required: send 'Authorization: Bearer <token>'")
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(plaintext)))
    if token is None:
        raise ServiceError(401, "invalid_token", "The token is not valid")
    if token.revoked_at is not None:
        raise ServiceError(401, "token_revoked", "The token was revoked; create a new one")
    if token.expires_at is not None and token.expires_at <= utcnow():
        raise ServiceError(401, "token_expired", "The token has expired; create a new one")
    now = utcnow()
    # Write at most once a minute: reads stay cheap under polling clients.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.session.commit()
    return token.user
