"""HTTP API v1: token auth, one JSON error shape, an OpenAPI document built from the schemas."""

from __future__ import annotations

from flask import Flask

from ..extensions import csrf
from . import courses, quizzes, review, routes
from .base import bp

__all__ = ["courses", "init_app", "quizzes", "review", "routes"]


def init_app(app: Flask) -> None:
    """Register the blueprint (exempt from CSRF: it authenticates with tokens)."""
    csrf.exempt(bp)
    app.register_blueprint(bp)
