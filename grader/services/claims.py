"""The gradings this process holds, so that a stop hands them back instead of finishing them.

A grading worker told to stop (a Celery worker's warm shutdown) does not keep learners waiting
for its gradings to end, nor throw them away: it marks itself stopping, so it claims nothing new,
and cancels the runner's jobs; each grading thread then puts its submission back in the queue
with the attempt given back (the stop is not the learner's fault), for another worker to grade.
"""

from __future__ import annotations

import threading
from datetime import datetime

import runner

_stopping = threading.Event()
_lock = threading.Lock()
_held: dict[int, datetime] = {}  # submission id -> when this process claimed it


def stopping() -> bool:
    """Is this process on its way out? (then it claims no new work)"""
    return _stopping.is_set()


def hold(submission_id: int, claimed_at: datetime) -> None:
    """This process has just claimed the submission at `claimed_at` (its `started_at`)."""
    with _lock:
        _held[submission_id] = claimed_at


def release(submission_id: int) -> None:
    """The grading ended one way or another: the submission is no longer held here."""
    with _lock:
        _held.pop(submission_id, None)


def held() -> dict[int, datetime]:
    """What this process is grading right now."""
    with _lock:
        return dict(_held)


def mark_stopping() -> None:
    """Claim nothing more, and record no outcome of a grading cut short from now on."""
    _stopping.set()


def begin_stop() -> None:
    """Claim nothing more and cancel the gradings in progress; safe to call from a signal handler.

    Setting the flag comes first: a grading the cancel cuts short then always finds it set, so
    its meaningless outcome is never recorded.
    """
    _stopping.set()
    # The engine calls take locks and talk to Docker: not inside a signal handler.
    threading.Thread(target=runner.cancel_running, name="cancel-gradings", daemon=True).start()


def reset() -> None:
    """Back to a working state (a test that stopped a worker in-process starts another)."""
    _stopping.clear()
    with _lock:
        _held.clear()
