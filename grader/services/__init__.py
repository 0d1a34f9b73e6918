"""Shared functions behind the pages, the API and the live events.

Views stay thin: they parse input, call one of these functions and render the answer. Every
expected failure is a `ServiceError` carrying the HTTP status, a stable code and a message a
person can act on, so the API and the pages report it the same way.
"""

from __future__ import annotations

from .errors import ServiceError

__all__ = ["ServiceError"]
