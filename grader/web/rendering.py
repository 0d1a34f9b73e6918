"""Template filters: dates, verdict and difficulty labels, percentages."""

from __future__ import annotations

from datetime import UTC, datetime

from .. import statuses
from ..client.render import ordinal

DIFFICULTY_LABELS = {1: "Easy", 2: "Medium", 3: "Hard"}


def as_utc(value: datetime | str | None) -> datetime | None:
    """A timezone-aware UTC datetime from a datetime (naive means UTC) or an ISO string."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_datetime(value: datetime | str | None) -> str:
    """A short, unambiguous timestamp for tables: `2026-11-23 10:00 UTC`."""
    moment = as_utc(value)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def iso_datetime(value: datetime | str | None) -> str:
    """The ISO 8601 form, for `<time datetime=...>` attributes."""
    moment = as_utc(value)
    return moment.isoformat().replace("+00:00", "Z") if moment else ""


def verdict_label(status: str | None) -> str:
    """The human name of a submission or test status."""
    return statuses.label(status)


def place_in_line(position: int | None, eta_s: int | None) -> str:
    """"12th in line, about 40 s…" for a queued submission ('' when it is not in line)."""
    if position is None:
        return ""
    if position == 1:
        return "Next in line…"
    return f"{ordinal(position)} in line, about {eta_s or 1} s…"


def difficulty_label(level: int | None) -> str:
    """Easy, Medium or Hard."""
    return DIFFICULTY_LABELS.get(int(level or 1), str(level))


def percent(score: float | None, max_score: float | None) -> int:
    """A whole percentage, 0 when there is nothing to divide by."""
    if not score or not max_score:
        return 0
    return max(0, min(100, round(100 * float(score) / float(max_score))))
