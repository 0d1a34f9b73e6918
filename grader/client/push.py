"""`grader challenge push`: upload a challenge folder and follow its check in the sandbox."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from . import render
from .actions import connected, show_validation
from .errors import ExitCode, Failure
from .http import ApiError, GraderClient, LiveFeed, ServerUnreachable
from .workspace import zip_folder

POLL_S = 2.0
CHECK_TIMEOUT_S = 1800.0


def push(console: render.Console, directory: Path) -> ExitCode:
    """Upload a challenge folder; a grading worker checks it before it is published."""
    from runner.challenge import ChallengeError, load_challenge

    try:
        challenge = load_challenge(directory)
    except ChallengeError as exc:
        raise Failure(f"{directory} is not a valid challenge: {exc}") from None
    archive = zip_folder(directory)
    if not console.as_json:
        console.note(f"Uploading {challenge.slug} ({len(archive)} bytes); the server checks it "
                     "in the sandbox ...")
    with connected(what=f"challenge {challenge.slug!r}") as client:
        feed = _open_feed(client)
        try:
            try:
                answer = client.push_challenge(archive, f"{challenge.slug}.zip", wait=0)
            except ApiError as exc:
                # A failed check is an answer to show (its report), not a transport error.
                if exc.status != 422 or not isinstance(exc.body, dict) \
                        or "report" not in exc.body:
                    raise
                answer = exc.body
            if answer.get("state", "done") != "done":
                answer = follow_check(console, client, feed, challenge.slug,
                                      int(answer["version"]))
        finally:
            if feed is not None:
                feed.close()
    return show_validation(console, answer, challenge.slug)


def _open_feed(client: GraderClient) -> LiveFeed | None:
    try:
        return client.live()
    except ServerUnreachable:
        return None  # progress is then polled


def follow_check(console: render.Console, client: GraderClient, feed: LiveFeed | None,
                 slug: str, number: int, timeout_s: float = CHECK_TIMEOUT_S) -> dict[str, Any]:
    """Print each folder's verdict as the check grades it; return the finished version."""
    shown: set[str] = set()
    deadline = time.monotonic() + timeout_s
    next_poll = 0.0
    waiting_said = False
    while time.monotonic() < deadline:
        if time.monotonic() >= next_poll:
            state = client.challenge_version(slug, number)
            for row in (state.get("report") or {}).get("rows") or []:
                _show_row(console, row, shown)
            if state.get("state") == "done":
                return state
            if state.get("state") == "queued" and not waiting_said and not console.as_json:
                console.note("Waiting for a grading worker ...")
                waiting_said = True
            next_poll = time.monotonic() + POLL_S
        event = feed.get(timeout=max(0.05, next_poll - time.monotonic())) if feed else None
        if event is None:
            if feed is None:
                time.sleep(max(0.05, next_poll - time.monotonic()))
            continue
        name, payload = event
        if name == "validation.update" and isinstance(payload, dict) \
                and payload.get("challenge") == slug and payload.get("version") == number:
            if isinstance(payload.get("row"), dict):
                _show_row(console, payload["row"], shown)
            if payload.get("state") == "done":
                next_poll = 0.0  # the stored report decides
    raise Failure(f"The check of {slug} version {number} did not finish within "
                  f"{timeout_s:.0f} s; see its teacher page.", ExitCode.ERROR)


def _show_row(console: render.Console, row: dict[str, Any], shown: set[str]) -> None:
    name = str(row.get("name"))
    if name in shown or console.as_json:
        shown.add(name)
        return
    shown.add(name)
    result = row.get("result") or {}
    mark = "ok" if row.get("ok") else "NOT OK"
    console.out(f"  {name:<28} {result.get('status')!s:<10} "
                f"{result.get('score')}/{result.get('max_score')}  {mark}")
