"""A grading process told to stop hands its work back: nothing recorded, no attempt spent."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from server_support import SOLUTION

import runner
from grader.extensions import db
from grader.models import Submission, TestResultRow, utcnow
from grader.services import accounts, challenges, claims, jobs

# Loading this app takes longer than the test is willing to wait: only a cancel ends it early.
SLOW = b"import time\ntime.sleep(25)\n" + SOLUTION


@pytest.fixture
def stoppable() -> Iterator[None]:
    """A stop ends this test only: the flag is cleared and the cancelled backends dropped."""
    yield
    claims.reset()
    runner.shutdown()


def queued(app, owner: str, content: bytes) -> int:
    """One queued submission stored directly, with no worker woken."""
    with app.app_context():
        user = accounts.by_username(owner) or accounts.register(owner, "correct-horse-9")
        challenge = challenges.get("hello-routes", user)
        row = Submission(user=user, challenge=challenge, version=challenge.current_version,
                         status="queued", max_score=100,
                         files=challenges.zip_files({"app.py": content}),
                         submitted_at=utcnow() - timedelta(seconds=5))
        db.session.add(row)
        db.session.commit()
        return row.id


def state(app, submission_id: int) -> tuple[str, int, bool]:
    with app.app_context():
        row = db.session.get(Submission, submission_id)
        return row.status, row.attempts, row.started_at is None


def test_a_stop_cancels_the_grading_and_puts_it_back_in_line(app, stoppable):
    slow = queued(app, "ann", SLOW)
    later = queued(app, "bob", SOLUTION)
    steps: list[jobs.NextStep] = []

    def work() -> None:
        with app.app_context():
            steps.append(jobs.run_next())

    worker = threading.Thread(target=work)
    worker.start()
    deadline = time.monotonic() + 20
    while state(app, slow)[0] != "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert state(app, slow) == ("running", 1, False)
    with app.app_context():
        assert set(claims.held()) == {slow}
    time.sleep(1)  # the learner's app is loading in the runner now

    stopped_at = time.monotonic()
    claims.begin_stop()
    worker.join(15)
    assert not worker.is_alive(), "the grading was not cancelled"
    assert time.monotonic() - stopped_at < 15  # the app alone takes 25 s to load
    assert [step.action for step in steps] == ["stopped"]
    # Back in line as if never taken: queued, the attempt given back, no result kept.
    assert state(app, slow) == ("queued", 0, True)
    with app.app_context():
        assert db.session.scalars(db.select(TestResultRow).where(
            TestResultRow.submission_id == slow)).all() == []
        assert claims.held() == {}
        # While stopping, nothing else is claimed either.
        assert jobs.run_next().action == "stopped"
    assert state(app, later) == ("queued", 0, True)


def test_a_claim_another_worker_took_over_is_left_alone(app, stoppable):
    taken = queued(app, "ann", SOLUTION)
    with app.app_context():
        row = db.session.get(Submission, taken)
        mine = utcnow() - timedelta(minutes=10)
        # Ours went stale and another worker claimed the row again since.
        row.status, row.attempts, row.started_at = "running", 2, utcnow()
        db.session.commit()
        assert jobs.hand_back(taken, mine).action == "stopped"
    assert state(app, taken) == ("running", 2, False)
