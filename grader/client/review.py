"""The review as the command-line tool shows it: comments and an override under a record."""

from __future__ import annotations

from typing import Any

import click

from .http import ApiError, GraderClient


def comments(client: GraderClient, submission_id: int) -> list[dict[str, Any]] | None:
    """The review comments of a submission, marked read; None from a server without reviews."""
    try:
        answer = client.json("GET", f"submissions/{submission_id}/comments")
    except ApiError as exc:
        if exc.status == 404:
            return None  # a server older than the review layer
        raise
    found = [c for c in answer.get("comments") or [] if isinstance(c, dict)]
    if any(c.get("new") for c in found):
        client.json("POST", f"submissions/{submission_id}/comments/read")
    return found


def comments_text(found: list[dict[str, Any]], tty: bool) -> str:
    """`Review comments (2, 1 new):` then each thread under its file and line."""
    new = sum(1 for c in found if c.get("new"))
    lines = [f"Review comments ({len(found)}{f', {new} new' if new else ''}):"]
    for comment in found:
        reply = bool(comment.get("parent"))
        where = "" if reply else f"{comment.get('path')}:{comment.get('line')}  "
        mark = click.style("new ", fg="yellow", bold=True) if comment.get("new") and tty else (
            "new " if comment.get("new") else "")
        indent = "      " if reply else "  "
        head = f"{indent}{where}{mark}{comment.get('author') or '?'}"
        head += " (reviewer)" if comment.get("staff") else ""
        head += f", {comment.get('created_at', '')}:"
        lines.append(head)
        lines += [f"{indent}  {text}" for text in str(comment.get("body", "")).splitlines()]
    return "\n".join(lines)


def override_text(record: dict[str, Any]) -> str:
    """`Score set by teach: 85 (the tests gave 40): reason` ('' without an override)."""
    found = record.get("override")
    if not isinstance(found, dict):
        return ""
    return (f"Score set by {found.get('by') or 'a teacher'}: {found.get('score')} "
            f"(the tests gave {record.get('graded_score')}): {found.get('reason', '')}")
