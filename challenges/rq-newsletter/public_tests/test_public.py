"""Public checks for the newsletter queue: run them while you work."""

from __future__ import annotations


def test_newsletter_is_queued(client):
    """POST /newsletters answers 202 with a job id, and the job is queued"""
    r = client.post("/newsletters", json={"subject": "Hi", "recipients": ["ann@example.org"]})
    assert r.status_code == 202
    job_id = r.get_json()["job_id"]
    assert client.get(f"/jobs/{job_id}").get_json()["status"] == "queued"


def test_worker_runs_the_job(client, cli):
    """flask worker sends the queued newsletter"""
    client.post("/newsletters", json={"subject": "Hi", "recipients": ["ann@example.org"]})
    assert cli("worker").exit_code == 0
    assert client.get("/outbox").get_json() == [{"to": "ann@example.org", "subject": "Hi"}]
