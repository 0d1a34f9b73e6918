"""`grader submit`: pick the allowed files, send them, follow the grading live."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from . import render
from .actions import connected
from .errors import ExitCode, Failure
from .http import GraderClient, LiveFeed, ServerUnreachable
from .workspace import WorkspaceError, find_workspace, gather, select_files

# With a live feed, polling is only a safety net for missed events; without one it is the feed.
POLL_WITH_FEED_S = 5.0
POLL_WITHOUT_FEED_S = 1.0
SHOWN_LEFT_OUT = 10


def exit_code_for(status: str) -> ExitCode:
    # `graded` (a course hides the verdict until the due time) is not known to have passed.
    if status == "passed":
        return ExitCode.OK
    if status == "internal_error":
        return ExitCode.ERROR
    return ExitCode.NOT_PASSED


def choose_files(
    console: render.Console,
    patterns: Sequence[str],
    paths: Sequence[Path],
    cwd: Path,
    provided: Collection[str] = (),
) -> dict[str, bytes]:
    """The files the manifest allows, telling the learner which others were left out.

    Files `grader start` downloaded that are not for submitting (the statement, the public
    tests) are left out without a word: the learner knows them.
    """
    try:
        selected, left_out = select_files(patterns, gather(paths, cwd))
    except WorkspaceError as exc:
        raise Failure(str(exc)) from None
    left_out = [name for name in left_out if name not in provided]
    accepted = ", ".join(patterns)
    if left_out:
        shown = ", ".join(left_out[:SHOWN_LEFT_OUT])
        more = (
            f" and {len(left_out) - SHOWN_LEFT_OUT} more" if len(left_out) > SHOWN_LEFT_OUT else ""
        )
        console.note(
            f"Left out {len(left_out)} file(s) this challenge does not accept "
            f"({accepted}): {shown}{more}"
        )
    if not selected:
        raise Failure(f"None of the files given match what this challenge accepts ({accepted}).")
    console.note(f"Sending {len(selected)} file(s): {', '.join(sorted(selected))}")
    return selected


def submit(
    console: render.Console,
    slug: str,
    paths: Sequence[Path],
    cwd: Path,
    wait: bool = True,
    timeout_s: float = 900.0,
    course: str | None = None,
) -> ExitCode:
    """Send a submission; unless `wait` is off, show each test as it finishes and the score.

    With `course`, it counts for that course's assignment (its deadline and late credit).
    """
    with connected(what=f"challenge {slug!r}", slug=slug) as client:
        detail = client.challenge(slug)
        files = choose_files(
            console,
            list(detail.get("files") or ["app.py"]),
            paths,
            cwd,
            provided=_provided_files(console, slug, paths, cwd),
        )
        if not wait:
            record = client.submit(slug, files, course)
            _show_queued(console, record)
            return ExitCode.OK
        feed = _open_feed(console, client)
        try:
            record = client.submit(slug, files, course)
            final = follow(console, client, feed, record, timeout_s)
        finally:
            if feed is not None:
                feed.close()
    if console.as_json:
        console.data(final)
    status = str(final.get("status"))
    if status == "internal_error":
        console.note(
            f"Error: the grader itself failed on submission {final.get('id')}; this is not your "
            f"code's fault and does not count. Submit again, and tell your teacher if it persists."
        )
    return exit_code_for(status)


def _provided_files(
    console: render.Console, slug: str, paths: Sequence[Path], cwd: Path
) -> set[str]:
    """The downloaded files of the workspace being submitted; warns if it is another challenge's."""
    start = paths[0] if paths else cwd
    try:
        workspace = find_workspace(start if start.is_dir() else start.parent)
    except WorkspaceError:
        return set()
    if workspace is None:
        return set()
    if workspace.slug != slug:
        console.note(f"Note: {workspace.root} was started for {workspace.slug!r}, not {slug!r}.")
        return set()
    return set(workspace.provided)


def _show_queued(console: render.Console, record: dict[str, Any]) -> None:
    if console.as_json:
        console.data(record)
        return
    place = render.place_in_line(record.get("queue_position"), record.get("eta_s"))
    console.out(f"Submission {record.get('id')} is {record.get('status', 'queued')}"
                f"{f' ({place})' if place else ''}.")
    if record.get("course"):
        late = float(record.get("late_hours") or 0)
        when = f"{late:.1f} h late" if late > 0 else "on time"
        console.out(f"It counts for {record['course']}: {when}, {record.get('credit')}% credit.")
    console.out(f"See its result with `grader status {record.get('id')}`.")


def _open_feed(console: render.Console, client: GraderClient) -> LiveFeed | None:
    """Subscribe before submitting so no event is missed; without it, poll instead."""
    try:
        return client.live()
    except ServerUnreachable as exc:
        console.note(f"Live results are unavailable ({exc.reason}); checking every second instead.")
        return None


def follow(
    console: render.Console,
    client: GraderClient,
    feed: LiveFeed | None,
    record: dict[str, Any],
    timeout_s: float,
) -> dict[str, Any]:
    """Show live progress until the submission has a final verdict; return the stored record."""
    submission_id = record.get("id")
    if submission_id is None:
        raise Failure("The server accepted the submission but returned no id.")
    view = None if console.as_json else render.LiveView(console.stdout)
    if view:
        view.status_changed(str(record.get("status") or "queued"), record.get("max_score"))
        view.line_changed(record.get("queue_position"), record.get("eta_s"))
    poll_every = POLL_WITH_FEED_S if feed else POLL_WITHOUT_FEED_S
    deadline = time.monotonic() + timeout_s
    next_poll = time.monotonic() + poll_every
    latest = record
    final_statuses = client.final_statuses()
    try:
        while str(latest.get("status")) not in final_statuses:
            now = time.monotonic()
            if now >= deadline:
                raise Failure(
                    f"Submission {submission_id} is still {latest.get('status')} after "
                    f"{timeout_s:.0f} s; check later with `grader status {submission_id}`."
                )
            if feed is not None:
                event = feed.get(timeout=max(0.0, min(next_poll, deadline) - now))
                if event is not None:
                    latest = _apply_event(view, event, submission_id, latest)
                    continue
            else:
                time.sleep(max(0.0, min(next_poll, deadline) - now))
            if time.monotonic() >= next_poll:
                latest = client.submission(submission_id)
                if view:
                    for test in latest.get("tests") or []:
                        view.test_finished(test)
                    view.status_changed(str(latest.get("status")), latest.get("max_score"))
                next_poll = time.monotonic() + poll_every
    except KeyboardInterrupt:
        raise Failure(
            f"\nStopped watching. Submission {submission_id} is still graded on the server: "
            f"`grader status {submission_id}`.",
            ExitCode.INTERRUPTED,
        ) from None
    final = client.submission(submission_id)
    if str(final.get("status")) not in final_statuses:
        # The live event can beat the database commit by a moment; the stored record decides.
        final = _settle(client, submission_id, final)
    if view:
        view.status = str(final.get("status"))
        view.finished(final)
    return final


def _settle(client: GraderClient, submission_id: Any, record: dict[str, Any]) -> dict[str, Any]:
    for _ in range(20):
        time.sleep(0.25)
        record = client.submission(submission_id)
        if str(record.get("status")) in client.final_statuses():
            break
    return record


def _apply_event(
    view: render.LiveView | None, event: tuple[str, Any], submission_id: Any, latest: dict[str, Any]
) -> dict[str, Any]:
    """Update the view from one `/live` event about this submission; others are ignored."""
    name, payload = event
    if not isinstance(payload, dict):
        return latest
    if name == "submission.update" and payload.get("id") == submission_id:
        if payload.get("moved") and latest.get("status") != "queued":
            return latest  # a movement of the line arriving after the grading started
        latest = {**latest, **payload}
        if view:
            view.status_changed(str(payload.get("status")), payload.get("max_score"))
            view.line_changed(payload.get("queue_position"), payload.get("eta_s"))
    elif name == "test.result" and payload.get("submission_id") == submission_id:
        test = payload.get("test")
        if view and isinstance(test, dict):
            view.test_finished(test)
    return latest
