"""The server's clock for deadlines: one `now()` that course rules and new submissions read.

Tests set it (`set_source`) instead of sleeping until a deadline; in production it is the
system clock, in the naive-UTC form the database stores.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from .models import utcnow

_source: Callable[[], datetime] = utcnow


def now() -> datetime:
    """The current time, timezone-naive UTC."""
    return _source()


def set_source(source: Callable[[], datetime] | None) -> None:
    """Read the time from `source` from now on (None: the system clock again)."""
    global _source
    _source = source or utcnow
