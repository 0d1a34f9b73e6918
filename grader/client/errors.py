"""Exit codes and error messages a person understands."""

from __future__ import annotations

import difflib
import enum
from collections.abc import Callable, Iterable

from .http import ApiError, ServerUnreachable


class ExitCode(enum.IntEnum):
    """What `grader` returns to the shell."""

    OK = 0  # the command worked; for submit/test: every test passed
    NOT_PASSED = 1  # graded, but not every test passed (or a check found problems)
    ERROR = 2  # usage, authentication, network or server error
    INTERRUPTED = 130  # Ctrl-C, the shell convention


class Failure(Exception):
    """A command cannot go on: the message is shown as is, then the tool exits with `code`."""

    def __init__(self, message: str, code: ExitCode = ExitCode.ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def did_you_mean(word: str, choices: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(word, list(choices), n=3, cutoff=0.5)


def explain(
    exc: ApiError | ServerUnreachable,
    server: str,
    *,
    what: str = "",
    suggestions: Callable[[], list[str]] | None = None,
) -> Failure:
    """Turn a transport or API error into a `Failure` that says what to do next."""
    if isinstance(exc, ServerUnreachable):
        return Failure(
            f"Cannot reach the grader server at {exc.url}: {exc.reason}.\n"
            f"Is it running? Start one with `grader serve`, or point the tool at another with "
            f"`grader login --server URL` or GRADER_SERVER."
        )
    detail = exc.message.rstrip(".")
    if exc.status == 401:
        return Failure(
            f"{server} did not accept your credentials ({detail}).\n"
            f"Run `grader login --server {server}` to sign in again."
        )
    if exc.status == 403:
        return Failure(
            f"Not allowed: {detail}. "
            f"This needs a teacher account, or the item belongs to someone else."
        )
    if exc.status == 404:
        message = f"Not found: {what or detail}."
        try:
            close = suggestions() if suggestions else []
        except (ApiError, ServerUnreachable):
            close = []  # the hint is a bonus; the 404 is the real answer
        if close:
            message += f" Did you mean {' or '.join(close)}?"
        message += " See `grader challenges` for the list." if suggestions else ""
        return Failure(message)
    if exc.status == 413:
        return Failure(f"Too large for the server: {detail}. Send fewer or smaller files.")
    if exc.status == 429:
        wait = f"retry in {exc.retry_after} s" if exc.retry_after is not None else "retry later"
        return Failure(f"Too many requests: {detail}; {wait}.")
    if exc.status == 503:
        return Failure(f"The server cannot do this right now: {detail}. Try again in a moment.")
    if exc.status >= 500 or exc.code == "internal_error":
        return Failure(
            f"The server failed ({exc.code}, HTTP {exc.status}): {detail}.\n"
            f"This is not your fault; try again, and tell your teacher if it persists."
        )
    return Failure(f"{detail} ({exc.code}, HTTP {exc.status}).")
