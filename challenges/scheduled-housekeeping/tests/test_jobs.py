"""Hidden tests: the jobs, their triggers, and what they do when the scheduler runs them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

# Makes the running scheduler fire a job now (by moving its next run time), then waits for the
# scheduler's own executor thread to report it: nothing waits five minutes, and the job runs
# where it will in production, in a thread with no app context.
RUN_NOW = """
import queue
from datetime import datetime, timezone
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

done = queue.Queue()

def listener(event):
    if event.job_id == JOB_ID:
        done.put(event)

app.apscheduler.add_listener(listener, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
try:
    app.apscheduler.modify_job(JOB_ID, next_run_time=datetime.now(timezone.utc))
    try:
        event = done.get(timeout=3)
    except queue.Empty:
        outcome = "not run"
    else:
        outcome = None if event.exception is None else type(event.exception).__name__
finally:
    app.apscheduler.remove_listener(listener)
"""


def run_now(learner, job_id: str) -> str | None:
    """Have the scheduler run a job: None when it ran without error, else what went wrong."""
    outcome = learner.eval(
        f"(lambda ns: (exec({RUN_NOW!r}, ns), ns['outcome'])[1])({{'app': app, 'JOB_ID': {job_id!r}}})"
    )
    assert outcome != "not run", "The scheduler never ran the job: was the scheduler started?"
    return outcome


@pytest.mark.points(10)
def test_scheduler_bound_and_started(learner):
    """The factory binds the scheduler, registers both jobs and starts it"""
    assert learner.eval("hasattr(app, 'apscheduler')"), (
        "Bind a Flask-APScheduler scheduler to the app with init_app()"
    )
    assert learner.eval("sorted(job.id for job in app.apscheduler.get_jobs())") == [
        "daily-report", "purge-expired",
    ], "Register the two jobs under the ids the statement gives"
    assert learner.eval("app.apscheduler.running"), "A scheduler that is never started runs nothing"


@pytest.mark.points(10)
def test_purge_runs_every_five_minutes(learner):
    """purge-expired runs on an interval of five minutes"""
    trigger = "app.apscheduler.get_job('purge-expired').trigger"
    assert learner.eval(f"type({trigger}).__name__") == "IntervalTrigger", (
        "purge-expired repeats at a fixed interval"
    )
    assert learner.eval(f"{trigger}.interval.total_seconds()") == 300, (
        "Check the length of the interval"
    )


@pytest.mark.learner_env(TZ="Asia/Tokyo")
@pytest.mark.points(15)
def test_report_runs_at_six_utc(learner):
    """daily-report runs every day at 06:00 UTC, whatever the server's time zone"""
    trigger = "app.apscheduler.get_job('daily-report').trigger"
    assert learner.eval(f"type({trigger}).__name__") == "CronTrigger", (
        "daily-report runs at a time of day: that is a cron trigger"
    )
    start = datetime(2030, 1, 1, 12, 0, tzinfo=UTC).isoformat()
    fires = learner.eval(
        "(lambda t, start: [t.get_next_fire_time(None, start + __import__('datetime').timedelta("
        "days=d)).astimezone(__import__('datetime').timezone.utc).isoformat() for d in range(2)])"
        f"({trigger}, __import__('datetime').datetime.fromisoformat({start!r}))"
    )
    assert fires == ["2030-01-02T06:00:00+00:00", "2030-01-03T06:00:00+00:00"], (
        "On a server in another time zone the report ran at the wrong hour: "
        "which time zone does the scheduler use?"
    )


@pytest.mark.points(20)
def test_scheduler_purges_expired_pastes(client, learner):
    """When the scheduler runs purge-expired, expired pastes go and live ones stay"""
    gone = client.post("/pastes", json={"text": "short-lived", "ttl": 0}).get_json()["id"]
    kept = client.post("/pastes", json={"text": "for a day", "ttl": 3600}).get_json()["id"]
    assert client.get("/pastes").get_json() == {"pastes": [gone, kept]}, (
        "Pastes are purged by the job, not before"
    )
    outcome = run_now(learner, "purge-expired")
    assert outcome is None, (
        f"The job raised {outcome} when the scheduler ran it: what does a job running in "
        "the scheduler's thread have, and not have?"
    )
    assert client.get("/pastes").get_json() == {"pastes": [kept]}, (
        "Only the expired paste should be deleted"
    )


@pytest.mark.points(15)
def test_scheduler_records_the_daily_report(client, learner):
    """When the scheduler runs daily-report, today's count is recorded"""
    for text in ("one", "two"):
        client.post("/pastes", json={"text": text, "ttl": 600})
    outcome = run_now(learner, "daily-report")
    assert outcome is None, (
        f"The job raised {outcome} when the scheduler ran it: a job runs outside any request"
    )
    today = datetime.now(UTC).date().isoformat()
    assert client.get("/reports").get_json() == [{"date": today, "pastes": 2}], (
        "The report records today's date (UTC) and how many pastes are stored"
    )
