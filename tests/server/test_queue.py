"""The grading queue: fair turns between learners, places in line, and pauses that touch nothing."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from server_support import SOLUTION, passing_result, wait_final

import runner
from grader.extensions import db
from grader.models import ServiceState, Submission, utcnow
from grader.services import accounts, challenges, jobs, pause, submissions, waiting


def stored(app, owner: str, count: int, start_minutes_ago: int = 10) -> list[int]:
    """Queued rows as a burst leaves them, oldest first, without waking any worker."""
    with app.app_context():
        user = accounts.by_username(owner) or accounts.register(owner, "correct-horse-9")
        challenge = challenges.get("hello-routes", user)
        ids = []
        for n in range(count):
            row = Submission(user=user, challenge=challenge, version=challenge.current_version,
                             status="queued", max_score=100,
                             files=challenges.zip_files({"app.py": SOLUTION}),
                             submitted_at=utcnow() - timedelta(minutes=start_minutes_ago - n))
            db.session.add(row)
            db.session.commit()
            ids.append(row.id)
        return ids


def test_learners_take_turns_oldest_first(app):
    ann = stored(app, "ann", 5, start_minutes_ago=30)  # ann's burst came first
    bob = stored(app, "bob", 2, start_minutes_ago=20)
    cat = stored(app, "cat", 1, start_minutes_ago=10)
    with app.app_context():
        order = waiting.next_ids(limit=100)
    assert order == [ann[0], bob[0], cat[0], ann[1], bob[1], ann[2], ann[3], ann[4]]


def test_a_submission_waiting_for_a_retry_is_not_in_line(app):
    first, second = stored(app, "ann", 2)
    with app.app_context():
        db.session.get(Submission, first).retry_at = utcnow() + timedelta(minutes=5)
        db.session.commit()
        assert waiting.next_ids() == [second]
        assert waiting.position_of(db.session.get(Submission, first)) == (None, None)


def test_the_record_tells_the_place_in_line_and_the_wait(app, client):
    stored(app, "ann", 3)
    bob = stored(app, "bob", 1)[0]
    with app.app_context():
        record = submissions.record(db.session.get(Submission, bob))
    assert record["queue_position"] == 2  # bob's first comes right after ann's first
    assert record["eta_s"] > 0
    assert client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Record"][
        "properties"]["queue_position"]["nullable"] is True


def test_a_graded_submission_has_no_place_in_line(app, client, student, fake_runner):
    from server_support import submit

    record = wait_final(app, submit(client, student).get_json()["id"])
    with app.app_context():
        answer = submissions.record(db.session.get(Submission, record.id))
    assert answer["queue_position"] is None and answer["eta_s"] is None


def test_workers_grade_another_learners_first_submission_before_a_burst(app, fake_runner):
    """One worker, ann's ten submissions waiting: bob's first is graded second."""
    app.config["GRADER_WORKERS"] = 1
    queue = app.extensions["grader_queue"]
    queue.workers = 1
    ann = stored(app, "ann", 10, start_minutes_ago=30)
    bob = stored(app, "bob", 1, start_minutes_ago=5)
    with app.app_context():
        for sid in ann + bob:  # tag each file with its id, to see the order of gradings
            row = db.session.get(Submission, sid)
            row.files = challenges.zip_files({"app.py": SOLUTION + f"\n#{sid}".encode()})
        db.session.commit()
    queue.enqueue()
    for sid in ann + bob:
        wait_final(app, sid)
    order = [int(files["app.py"].decode().rsplit("#", 1)[1]) for files in fake_runner.calls]
    assert order[:2] == [ann[0], bob[0]]
    assert sorted(order) == sorted(ann + bob)


def test_while_paused_no_submission_is_claimed(app, client, student, fake_runner):
    from server_support import submit

    app.config["GRADER_ENGINE_RETRY_S"] = 1
    fake_runner.down_probes = 3
    fake_runner.script = [runner.EngineUnavailable("connection refused")]
    first = submit(client, student).get_json()["id"]
    # Generous: three 1 s pause periods, on a machine that may be busy with other tests.
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and not fake_runner.probes:
        time.sleep(0.02)
    second = submit(client, student).get_json()["id"]  # arrives during the outage
    seen: set[str] = set()
    while time.monotonic() < deadline and False in fake_runner.probes[-1:]:
        with app.app_context():
            seen.add(db.session.get(Submission, second).status)
            db.session.rollback()
        time.sleep(0.01)
    assert fake_runner.probes[:3] == [False, False, False]
    assert seen == {"queued"}, "nothing flips to running while grading is paused"
    assert len(fake_runner.calls) == 1  # only the grading the outage interrupted
    for sid in (first, second):
        final = wait_final(app, sid, timeout=30)
        assert final.status == "passed" and final.attempts == 1


def test_a_sandbox_broken_by_the_engine_going_away_costs_no_attempt(app, client, student,
                                                                    fake_runner, monkeypatch):
    """The run ends as a grader fault, and the engine is gone: an outage, not a retry."""
    from server_support import submit

    app.config["GRADER_ENGINE_RETRY_S"] = 1
    broken = runner.GradeResult(status=runner.Verdict.INTERNAL_ERROR, score=0, max_score=100,
                                message="The grader failed: lost the sandbox's output stream")
    probes = iter([(False, "The Docker engine is unavailable: connection refused")])
    monkeypatch.setattr(jobs, "engine_ready", lambda: next(probes, (True, "")))
    fake_runner.script = [broken, passing_result()]
    final = wait_final(app, submit(client, student).get_json()["id"], timeout=30)
    assert final.status == "passed" and final.attempts == 1
    with app.app_context():
        state = db.session.get(ServiceState, pause.STATE_KEY)
        assert state is not None and state.value["paused"] is False


def test_stopping_gives_running_gradings_back_without_an_attempt(app, client, student,
                                                                fake_runner):
    from server_support import submit

    fake_runner.gate = threading.Event()
    sid = submit(client, student).get_json()["id"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with app.app_context():
            if db.session.get(Submission, sid).status == "running":
                break
        time.sleep(0.02)
    with app.app_context():
        assert jobs.requeue_running() == 1
        row = db.session.get(Submission, sid)
        assert (row.status, row.attempts, row.started_at) == ("queued", 0, None)
    fake_runner.gate.set()
