"""Public checks for the Celery reports: run them while you work."""

from __future__ import annotations


def test_report_is_queued(client):
    """POST /reports answers 202 with a task id, and the report is PENDING"""
    r = client.post("/reports", json={"numbers": [1, 2, 3]})
    assert r.status_code == 202
    task_id = r.get_json()["task_id"]
    assert client.get(f"/reports/{task_id}").get_json()["state"] == "PENDING"


def test_celery_app_is_configured(learner):
    """The Celery app uses the in-memory broker"""
    assert learner.eval("app.extensions['celery'].conf.broker_url") == "memory://"
