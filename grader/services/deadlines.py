"""Deadline arithmetic: time zones, a learner's own dates, lateness and late credit.

Everything here is a pure function of its arguments, so any scored attempt (a challenge
submission today, a quiz attempt later) gets its credit from the same rule:
`credit_for(submitted_at, assignment, extension)`. Times are naive UTC, as the database stores
them; time zones only matter for what people type and read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..models import Assignment, Extension
from .errors import ServiceError

MAX_STEPS = 10


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`, or a 422 naming the problem."""
    try:
        return ZoneInfo((name or "").strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError(422, "invalid_time_zone",
                           f"{name!r} is not an IANA time zone name such as 'UTC' or "
                           "'Europe/Paris'") from None


def parse_time(value: str | datetime, field: str) -> datetime:
    """An ISO 8601 time with a zone, as naive UTC; a time without a zone is refused (422)."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ServiceError(422, "invalid_time",
                               f"{field}: {text!r} is not an ISO 8601 time such as "
                               "2026-11-23T10:00:00Z") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ServiceError(422, "naive_time",
                           f"{field}: {value!s} has no time zone; add one, e.g. "
                           f"{moment.replace(microsecond=0).isoformat()}Z or "
                           f"{moment.replace(microsecond=0).isoformat()}+01:00")
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_local(value: datetime, time_zone: str, field: str) -> datetime:
    """A wall-clock time typed in the course's zone (a page form), as naive UTC.

    A time the clocks skip (the spring change) is refused rather than silently moved.
    """
    local = value.replace(tzinfo=zone(time_zone))
    utc = local.astimezone(UTC)
    if utc.astimezone(local.tzinfo).replace(tzinfo=None) != value.replace(tzinfo=None):
        raise ServiceError(422, "invalid_time",
                           f"{field}: {value:%Y-%m-%d %H:%M} does not exist in {time_zone} "
                           "(the clocks skip it); pick another time")
    return utc.replace(tzinfo=None)


def to_local(moment: datetime | None, time_zone: str) -> datetime | None:
    """A stored (naive UTC) time in the course's zone, timezone-aware."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(zone(time_zone))


def describe(moment: datetime, time_zone: str) -> str:
    """`2026-11-24 18:00 Europe/Paris (17:00 UTC)`: a time for a message, in both zones."""
    local = to_local(moment, time_zone)
    text = f"{local:%Y-%m-%d %H:%M} {time_zone}"
    if local.utcoffset() != timedelta(0) or time_zone != "UTC":
        text += f" ({moment:%Y-%m-%d %H:%M} UTC)"
    return text


def check_policy(steps: Any) -> list[dict[str, Any]]:
    """A late policy as stored: steps with rising `until_hours` and falling `credit` (422 if not).

    `[{"until_hours": 24, "credit": 80}, {"until_hours": 72, "credit": 50}]` gives 80% up to 24 h
    after the due time, 50% up to 72 h, and 0 later. An empty list: nothing after the due time.
    """
    if steps is None:
        return []
    if not isinstance(steps, list) or len(steps) > MAX_STEPS:
        raise ServiceError(422, "invalid_late_policy",
                           f"late_policy must be a list of at most {MAX_STEPS} steps "
                           '{"until_hours": H, "credit": C}')
    cleaned: list[dict[str, Any]] = []
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, dict) or set(step) != {"until_hours", "credit"}:
            raise ServiceError(422, "invalid_late_policy",
                               f'late_policy step {number} must be {{"until_hours": H, '
                               '"credit": C}')
        hours, credit = step["until_hours"], step["credit"]
        if isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0:
            raise ServiceError(422, "invalid_late_policy",
                               f"late_policy step {number}: until_hours must be a number above 0")
        if isinstance(credit, bool) or not isinstance(credit, int) or not 0 <= credit <= 100:
            raise ServiceError(422, "invalid_late_policy",
                               f"late_policy step {number}: credit must be a whole number "
                               "from 0 to 100")
        if cleaned and hours <= cleaned[-1]["until_hours"]:
            raise ServiceError(422, "invalid_late_policy",
                               f"late_policy step {number}: until_hours must grow from step "
                               "to step")
        if cleaned and credit > cleaned[-1]["credit"]:
            raise ServiceError(422, "invalid_late_policy",
                               f"late_policy step {number}: a later step cannot give more "
                               "credit than an earlier one")
        cleaned.append({"until_hours": hours, "credit": credit})
    return cleaned


@dataclass(frozen=True)
class Dates:
    """One learner's dates for one assignment, extension included."""

    opens_at: datetime
    due_at: datetime | None  # None: no due time
    closes_at: datetime | None
    extended: bool


def dates_for(assignment: Assignment, extension: Extension | None) -> Dates:
    """The assignment's dates for one learner: an extension overrides due and closing times.

    An extension that moves the due time past the course's closing time without naming a
    closing time of its own keeps the assignment open until the extended due time at least.
    """
    if extension is None:
        return Dates(assignment.opens_at, assignment.due_at, assignment.closes_at, False)
    due = extension.due_at or assignment.due_at
    closes = extension.closes_at
    if closes is None and assignment.closes_at is not None:
        closes = max(assignment.closes_at, due)
    return Dates(assignment.opens_at, due, closes, True)


@dataclass(frozen=True)
class Credit:
    """How late a submission was and the share of its score it keeps."""

    late_hours: float
    credit: int


def credit_at(submitted_at: datetime, due_at: datetime | None,
              policy: list[dict[str, Any]]) -> Credit:
    """Lateness in hours after `due_at` (0 when on time) and the credit the policy gives it.

    Without a due time nothing is ever late.
    """
    if due_at is None:
        return Credit(0.0, 100)
    late_s = (submitted_at - due_at).total_seconds()
    if late_s <= 0:
        return Credit(0.0, 100)
    late_hours = late_s / 3600
    for step in policy:
        if late_hours <= step["until_hours"]:
            return Credit(late_hours, int(step["credit"]))
    return Credit(late_hours, 0)


def credit_for(submitted_at: datetime, assignment: Assignment,
               extension: Extension | None) -> Credit:
    """The credit of a scored attempt made at `submitted_at` (the time it was stored)."""
    due = dates_for(assignment, extension).due_at
    return credit_at(submitted_at, due, list(assignment.late_policy or []))
