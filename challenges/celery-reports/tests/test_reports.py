"""Hidden tests: the view queues a Celery task; a real worker computes the report."""

from __future__ import annotations

import pytest

# A Celery worker in a thread of the learner's process (Celery's own test worker), consuming
# from the in-memory broker: it runs tasks the way a worker process does, outside any request.
# It polls the broker often, so that no test waits a second per task.
START_WORKER = """
from celery.contrib.testing.worker import start_worker
celery_app = app.extensions["celery"]
celery_app.conf.broker_transport_options = {"polling_interval": 0.05}
worker = start_worker(celery_app, pool="solo", concurrency=1, perform_ping_check=False,
                      loglevel="WARNING")
worker.__enter__()
# kept referenced: a context manager that is garbage-collected stops its worker
app.extensions["test-worker"] = worker
"""

# Waits for a task to finish; a task whose result is never stored stays PENDING until then.
WAIT = """
from celery.exceptions import TimeoutError
try:
    app.extensions["celery"].AsyncResult(TASK_ID).get(timeout=3, interval=0.02, propagate=False)
except TimeoutError:
    pass
"""


def start_worker(learner) -> None:
    learner.eval(f"exec({START_WORKER!r}, {{'app': app}})")


def wait_for(learner, task_id: str) -> None:
    learner.eval(f"exec({WAIT!r}, {{'app': app, 'TASK_ID': {task_id!r}}})")


def queue_report(client, numbers: list) -> str:
    r = client.post("/reports", json={"numbers": numbers})
    assert r.status_code == 202, "Queueing a report answers 202 Accepted"
    task_id = (r.get_json() or {}).get("task_id")
    assert isinstance(task_id, str) and task_id, "Answer with the id of the queued task"
    return task_id


@pytest.mark.points(10)
def test_celery_is_bound_in_the_factory(learner):
    """The factory configures a Celery app from app.config and keeps it in app.extensions"""
    assert learner.eval("type(app.extensions.get('celery')).__name__") == "Celery", (
        "Keep the Celery app in app.extensions['celery']"
    )
    conf = learner.eval(
        "(lambda c: [c.broker_url, c.result_backend, c.task_ignore_result])"
        "(app.extensions['celery'].conf)"
    )
    assert conf == ["memory://", "cache+memory://", True], (
        "Configure Celery from app.config['CELERY'] with the settings of the statement"
    )
    assert learner.eval(
        "__import__('app').create_app({'CELERY': {'broker_url': 'memory://localhost/', "
        "'result_backend': 'cache+memory://'}}).extensions['celery'].conf.broker_url"
    ) == "memory://localhost/", "Celery's settings should come from app.config['CELERY']"


@pytest.mark.points(20)
def test_request_only_queues_the_task(client):
    """POST /reports queues a task and answers before any worker ran it"""
    r = client.post("/reports", json={"numbers": [1, 2, 3]})
    assert r.status_code == 202, (
        "The report was computed during the request: queue a task and answer 202 Accepted"
    )
    task_id = r.get_json()["task_id"]
    assert r.headers.get("Location", "").endswith(f"/reports/{task_id}"), (
        "Point the Location header at the report's status"
    )
    status = client.get(f"/reports/{task_id}")
    assert status.status_code == 200, "GET /reports/<task_id> shows a queued report"
    assert status.get_json() == {"task_id": task_id, "state": "PENDING", "ready": False,
                                 "result": None}, (
        "Before a worker runs it, the task is PENDING, not ready, with no result"
    )


@pytest.mark.points(30)
def test_worker_computes_the_report(client, learner):
    """A worker runs the task; the report then shows SUCCESS and the summary"""
    task_id = queue_report(client, [2, 4, 9])
    start_worker(learner)
    wait_for(learner, task_id)
    body = client.get(f"/reports/{task_id}").get_json()
    assert body["state"] != "FAILURE", (
        "The task failed in the worker: what does a worker have that a request has, "
        "and what does it lack?"
    )
    assert body["state"] == "SUCCESS", (
        "The worker ran the task but its state never changed: is the result stored?"
    )
    assert body == {"task_id": task_id, "state": "SUCCESS", "ready": True,
                    "result": {"count": 3, "total": 15, "mean": 5, "unit": "EUR"}}, (
        "A finished report shows the summary the task returned"
    )


@pytest.mark.points(15)
def test_task_reads_the_app_config(learner):
    """The task reads the app's configuration when a worker runs it"""
    learner.eval("app.config.update(REPORT_UNIT='kg')")
    start_worker(learner)
    task_id = learner.eval("app.extensions['celery'].tasks['app.summarize'].delay([1.5, 2.5]).id")
    wait_for(learner, task_id)
    state, result = learner.eval(
        f"(lambda r: [r.state, r.result if r.successful() else None])"
        f"(app.extensions['celery'].AsyncResult({task_id!r}))"
    )
    assert state == "SUCCESS", "summarize should succeed when a worker runs it"
    assert result == {"count": 2, "total": 4.0, "mean": 2.0, "unit": "kg"}, (
        "The unit comes from the app's configuration"
    )


@pytest.mark.points(5)
def test_unknown_task_is_pending(client):
    """An id Celery has never seen is PENDING, not an error"""
    r = client.get("/reports/0b0e4f5e-0000-4000-8000-000000000000")
    assert r.status_code == 200, "Celery cannot tell an unknown task from a waiting one"
    assert r.get_json()["state"] == "PENDING", "Report the state Celery gives"


@pytest.mark.points(4)
@pytest.mark.parametrize("body", [
    {},
    {"numbers": []},
    {"numbers": "1, 2"},
    {"numbers": [1, "2"]},
    {"numbers": [True, 2]},
])
def test_bad_reports_are_refused(client, body):
    """Bad input is refused with 400 before anything is queued"""
    r = client.post("/reports", json=body)
    assert r.status_code == 400, "Check the numbers before queueing a task"
    assert "error" in (r.get_json() or {}), "Explain the problem in an 'error' field"
