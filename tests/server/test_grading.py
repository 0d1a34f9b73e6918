"""The grading pipeline: stored before queued, retries, engine outages, restarts, idempotency."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from server_support import HELLO, make_app, passing_result, submit, wait_final
from sqlalchemy import select

import runner
from grader.extensions import db
from grader.models import Submission, TestResultRow
from grader.services import jobs, leaderboard, pause


def internal_error() -> runner.GradeResult:
    return runner.GradeResult(status=runner.Verdict.INTERNAL_ERROR, score=0, max_score=100,
                              message="harness crashed")


def test_submission_is_stored_before_grading_starts(app, client, student, fake_runner):
    fake_runner.gate = threading.Event()
    record = submit(client, student).get_json()
    assert record["status"] == "queued"  # the 202 answer: stored, not yet claimed
    deadline = time.monotonic() + 30
    while not fake_runner.calls and time.monotonic() < deadline:
        time.sleep(0.02)
    assert fake_runner.calls, "the queue never called the runner"
    # The runner holds the grading: the row exists and is claimed, with no verdict yet.
    with app.app_context():
        stored = db.session.get(Submission, record["id"])
        assert stored is not None
        assert (stored.status, stored.finished_at) == ("running", None)
        assert stored.started_at is not None and not stored.is_final
    fake_runner.gate.set()
    assert wait_final(app, record["id"]).status == "passed"


def test_grading_twice_replaces_test_rows(app, client, student, fake_runner):
    sub_id = submit(client, student).get_json()["id"]
    wait_final(app, sub_id)
    # Only this test grades from here on: an idle worker thread would take the row it requeues.
    app.extensions["grader_queue"].shutdown(wait=True)
    with app.app_context():
        sub = db.session.get(Submission, sub_id)
        sub.status = "queued"
        db.session.commit()
        assert jobs.grade_submission(sub_id).action == "done"
        rows = db.session.scalars(db.select(TestResultRow).where(
            TestResultRow.submission_id == sub_id)).all()
        assert len(rows) == 2
        assert jobs.grade_submission(sub_id).action == "skipped"  # already final
    assert len(fake_runner.calls) == 2


def test_a_claim_held_by_a_dead_worker_goes_stale(app, client, student, fake_runner):
    """A running row is left alone while its worker may live, and taken over once it cannot."""
    sub_id = submit(client, student).get_json()["id"]
    wait_final(app, sub_id)
    with app.app_context():
        sub = db.session.get(Submission, sub_id)
        sub.status, sub.started_at = "running", jobs.utcnow()
        db.session.commit()
        busy = jobs.grade_submission(sub_id)
        assert busy.action == "busy" and busy.delay_s > 0
        timeout = jobs.challenges.runner_challenge(sub.version).timeout_s
        sub = db.session.get(Submission, sub_id)
        sub.started_at = jobs.utcnow() - timedelta(seconds=timeout) - jobs.STALE_MARGIN \
            - timedelta(seconds=1)
        db.session.commit()
        assert jobs.grade_submission(sub_id).action == "done"
        assert db.session.get(Submission, sub_id).status == "passed"


def test_internal_error_is_retried_and_never_costs_the_learner(app, client, student, fake_runner):
    fake_runner.script = [internal_error(), passing_result(60)]
    sub_id = submit(client, student).get_json()["id"]
    final = wait_final(app, sub_id)
    assert final.status == "failed" and final.score == 60 and final.attempts == 2
    assert len(fake_runner.calls) == 2


def test_internal_error_after_all_attempts_does_not_count(app, client, student, fake_runner):
    app.config["GRADER_MAX_ATTEMPTS"] = 2
    fake_runner.script = [internal_error(), RuntimeError("grader bug")]
    sub_id = submit(client, student).get_json()["id"]
    final = wait_final(app, sub_id)
    assert final.status == "internal_error" and final.attempts == 2
    assert "RuntimeError" in final.message
    with app.app_context():
        assert leaderboard.standings() == []


def test_engine_down_keeps_submission_queued_and_pauses(app, client, student, fake_runner):
    fake_runner.script = [runner.EngineUnavailable("connection refused")] * 2
    sub_id = submit(client, student).get_json()["id"]
    final = wait_final(app, sub_id, timeout=30)
    assert final.status == "passed" and final.attempts == 1  # outages are not attempts
    assert len(fake_runner.calls) == 3
    with app.app_context():
        assert pause.status()["paused"] is False


def test_status_reports_pause_while_engine_is_down(app, client, student, fake_runner):
    app.config["GRADER_ENGINE_RETRY_S"] = 60
    fake_runner.script = [runner.EngineUnavailable("connection refused")]
    sub_id = submit(client, student).get_json()["id"]
    deadline = time.monotonic() + 10
    status = {}
    while time.monotonic() < deadline:
        status = client.get("/api/v1/status").get_json()
        if status["paused"]:
            break
        time.sleep(0.02)
    assert status["paused"] is True and "connection refused" in status["message"]
    assert status["pending"] == 1
    record = client.get(f"/api/v1/submissions/{sub_id}", headers=student).get_json()
    assert record["status"] == "queued"


def test_the_pause_and_the_requeue_are_one_commit(app, client, student, fake_runner, monkeypatch):
    # Read from another connection the moment the pause is committed: the row must already
    # be back in the queue, or a reader in between sees grading paused with the row running.
    app.config["GRADER_ENGINE_RETRY_S"] = 60
    fake_runner.script = [runner.EngineUnavailable("connection refused")]
    seen: list[str] = []

    def on_pause(message, *args):
        with db.engine.connect() as other:
            seen.append(other.execute(select(Submission.status)).scalar_one())

    monkeypatch.setattr(pause.log, "warning", on_pause)
    submit(client, student)
    deadline = time.monotonic() + 10
    while not seen and time.monotonic() < deadline:
        time.sleep(0.02)
    assert seen == ["queued"]


def test_pending_submissions_survive_a_restart(tmp_path, monkeypatch, fake_runner):
    from grader.services import accounts, challenges, versions

    first = make_app(tmp_path, monkeypatch)
    with first.app_context():
        versions.import_folder(HELLO, validate=False)
        user = accounts.register("ann", "correct-horse-9")
        ch = challenges.get("hello-routes", user)
        files = challenges.zip_files({"app.py": b"print(1)"})
        for status in ("queued", "running"):
            db.session.add(Submission(user=user, challenge=ch, version=ch.current_version,
                                      status=status, files=files, max_score=100))
        db.session.commit()
    first.extensions["grader_queue"].shutdown()
    second = make_app(tmp_path, monkeypatch)  # a new process over the same database
    assert second.extensions["grader_queue"].recover() == 2
    assert wait_final(second, 1).status == "passed"
    assert wait_final(second, 2).status == "passed"
    second.extensions["grader_queue"].shutdown()


def test_submissions_record_the_version_they_were_graded_on(app, client, student, teacher,
                                                            fake_runner, tmp_path):
    import shutil

    from server_support import HELLO

    from grader.services import versions

    first = submit(client, student).get_json()["id"]
    wait_final(app, first)
    changed = tmp_path / "hello-routes"
    shutil.copytree(HELLO, changed)
    (changed / "statement.md").write_text("# Hello, routes (revised)\n")
    with app.app_context():
        _, version, created = versions.import_folder(changed, validate=False)
        assert created and version.number == 2
    second = submit(client, student).get_json()["id"]
    wait_final(app, second)
    assert client.get(f"/api/v1/submissions/{first}", headers=student).get_json()["version"] == 1
    assert client.get(f"/api/v1/submissions/{second}", headers=student).get_json()["version"] == 2
    assert client.post("/api/v1/challenges/hello-routes/regrade",
                       headers=teacher).status_code == 202
    wait_final(app, first)
    assert client.get(f"/api/v1/submissions/{first}", headers=student).get_json()["version"] == 2


def test_leaderboard_best_score_and_ties(app, client, make_user, fake_runner):
    _, ann = make_user("ann")
    _, bob = make_user("bob")
    _, cat = make_user("cat", "teacher")
    fake_runner.script = [passing_result(60)]
    wait_final(app, submit(client, bob).get_json()["id"])
    fake_runner.script = [passing_result(100), passing_result(40)]
    wait_final(app, submit(client, ann).get_json()["id"])
    wait_final(app, submit(client, ann).get_json()["id"])  # a worse try keeps the best
    fake_runner.script = [passing_result(100)]
    wait_final(app, submit(client, bob).get_json()["id"])  # same total, reached later
    wait_final(app, submit(client, cat).get_json()["id"])  # teachers are not ranked
    rows = client.get("/api/v1/leaderboard").get_json()["rows"]
    assert [(r["rank"], r["name"], r["score"], r["solved"]) for r in rows] == [
        (1, "ann", 100, 1), (2, "bob", 100, 1)]
    assert rows[0]["last_improvement"] <= rows[1]["last_improvement"]
