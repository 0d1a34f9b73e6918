"""Public checks for the housekeeping jobs: run them while you work."""

from __future__ import annotations


def test_both_jobs_are_registered(learner):
    """The scheduler knows the two jobs"""
    assert learner.eval("hasattr(app, 'apscheduler')"), "Bind the scheduler with init_app()"
    assert learner.eval("sorted(job.id for job in app.apscheduler.get_jobs())") == [
        "daily-report", "purge-expired",
    ]


def test_api_is_protected(client):
    """The scheduler API answers 401 without a password"""
    assert client.get("/scheduler/jobs").status_code == 401


def test_pastes_are_stored(client):
    """A paste is stored and listed"""
    r = client.post("/pastes", json={"text": "hello", "ttl": 60})
    assert r.status_code == 201
    assert client.get("/pastes").get_json() == {"pastes": [r.get_json()["id"]]}
