"""What the course commands do: list courses and assignments, join, print the gradebook."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import render
from .actions import connected
from .errors import ExitCode


def local_time(value: str | None, time_zone: str) -> str:
    """An API time (UTC, `Z`) as `2026-11-24 18:00` in the course's zone; '-' for none."""
    if not value:
        return "-"
    try:
        moment = datetime.fromisoformat(value)
        return f"{moment.astimezone(ZoneInfo(time_zone)):%Y-%m-%d %H:%M}"
    except (ValueError, ZoneInfoNotFoundError):
        return value


def _score(row: dict[str, Any]) -> str:
    if row.get("feedback_hidden"):
        return "hidden until due"
    if row.get("credited_score") is None:
        return "-"
    # An older server sends only the code points; a newer one the code and quiz points too.
    text = f"{row['credited_score']}/{row.get('total_points', row.get('points'))}"
    if row.get("credit") not in (None, 100):
        text += f" ({row['best_score']} at {row['credit']}%)"
    return text


def courses(console: render.Console, slug: str | None) -> ExitCode:
    """My courses, or one course's assignments with my dates and credited scores."""
    with connected(what=f"course {slug!r}" if slug else "") as client:
        data: Any = client.course(slug) if slug else client.courses()
    if console.as_json:
        console.data(data)
        return ExitCode.OK
    if slug is None:
        if not data:
            console.out("You are in no course yet. Join one with `grader join CODE`.")
            return ExitCode.OK
        console.out(render.table(
            ["course", "title", "role", "time zone"],
            [[c.get("slug"), c.get("title"), c.get("role"), c.get("time_zone")] for c in data]))
        return ExitCode.OK
    zone = str(data.get("time_zone") or "UTC")
    console.out(f"{data.get('title')} ({data.get('slug')}) · you are {data.get('role')} · "
                f"times in {zone}")
    rows = data.get("assignments") or []
    if not rows:
        console.out("No assignment has opened yet.")
        return ExitCode.OK
    console.out(render.table(
        ["challenge", "state", "due", "closes", "score", "left"],
        [[r.get("challenge"), r.get("state"),
          local_time(r.get("due_at"), zone) + (" (extended)" if r.get("extended") else ""),
          local_time(r.get("closes_at"), zone), _score(r),
          "-" if r.get("submissions_left") is None else r.get("submissions_left")]
         for r in rows]))
    console.note(f"Submit for the course with `grader submit CHALLENGE --course {slug}`.")
    return ExitCode.OK


def join(console: render.Console, code: str) -> ExitCode:
    """Join a course with its code."""
    with connected() as client:
        course = client.join(code)
    if console.as_json:
        console.data(course)
    else:
        console.out(f"You are in {course.get('title')} ({course.get('slug')}) as "
                    f"{course.get('role')}. See its assignments with "
                    f"`grader courses {course.get('slug')}`.")
    return ExitCode.OK


def gradebook(console: render.Console, slug: str, as_csv: bool) -> ExitCode:
    """The course's gradebook: a table, JSON or the registrar's CSV."""
    with connected(what=f"course {slug!r}") as client:
        if as_csv:
            console.stdout.write(client.gradebook_csv(slug))
            console.stdout.flush()
            return ExitCode.OK
        book = client.gradebook(slug)
    if console.as_json:
        console.data(book)
        return ExitCode.OK
    slugs = [a.get("challenge") for a in book.get("assignments") or []]
    rows = book.get("rows") or []
    if not rows:
        console.out(f"{slug} has no learners yet.")
        return ExitCode.OK
    console.out(render.table(
        ["learner", *slugs, "total", "late", "missing"],
        [[r.get("user"),
          *("-" if (r.get("scores") or {}).get(s) is None else r["scores"][s] for s in slugs),
          r.get("total"), " ".join(r.get("late") or []) or "-",
          " ".join(r.get("missing") or []) or "-"] for r in rows]))
    console.note(f"Out of {book.get('max_total')} points in all; "
                 f"times and credit follow {book.get('time_zone')} deadlines.")
    return ExitCode.OK
