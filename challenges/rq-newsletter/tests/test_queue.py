"""Hidden tests: the request only queues the newsletter; the worker sends it."""

from __future__ import annotations

import pytest

NEWSLETTER = {"subject": "Spring news", "recipients": ["ann@example.org", "bob@example.org",
                                                       "cy@example.org"]}


def queue_newsletter(client, body: dict = NEWSLETTER) -> str:
    r = client.post("/newsletters", json=body)
    assert r.status_code == 202, "Queueing a newsletter answers 202 Accepted"
    job_id = (r.get_json() or {}).get("job_id")
    assert isinstance(job_id, str) and job_id, "Answer with the id of the queued job"
    return job_id


@pytest.mark.points(10)
def test_queue_is_bound_in_the_factory(learner):
    """The factory binds an RQ queue named mail to the app's Redis"""
    assert learner.eval("type(app.extensions.get('rq_queue')).__name__") == "Queue", (
        "Keep an rq.Queue in app.extensions['rq_queue']"
    )
    assert learner.eval("app.extensions['rq_queue'].name") == "mail", "Name the queue mail"
    assert learner.eval(
        "app.extensions['rq_queue'].connection is app.extensions['redis']"
    ), "The queue must use the app's Redis connection"


@pytest.mark.points(15)
def test_request_only_queues_the_job(client):
    """POST /newsletters queues a job and sends nothing while the request waits"""
    r = client.post("/newsletters", json=NEWSLETTER)
    assert r.status_code == 202, "Queueing a newsletter answers 202 Accepted"
    job_id = r.get_json()["job_id"]
    assert r.headers.get("Location", "").endswith(f"/jobs/{job_id}"), (
        "Point the Location header at the job's status"
    )
    assert client.get("/outbox").get_json() == [], (
        "The mail was sent during the request: it should wait for a worker"
    )
    status = client.get(f"/jobs/{job_id}")
    assert status.status_code == 200, "GET /jobs/<id> shows a queued job"
    assert status.get_json()["status"] == "queued", "Before a worker runs, the job is queued"
    assert status.get_json() == {
        "id": job_id, "status": "queued", "progress": {"sent": 0, "total": 0},
        "result": None, "error": None,
    }, "A queued job has no progress, no result and no error yet"


@pytest.mark.points(20)
def test_worker_sends_the_newsletter(client, cli):
    """The worker sends the newsletter; the job then shows its result and progress"""
    job_id = queue_newsletter(client)
    done = cli("worker")
    assert done.exit_code == 0, "flask worker should run the queued jobs and stop"
    assert client.get(f"/jobs/{job_id}").get_json()["status"] == "finished", (
        "The worker did not finish the job: it imports the job's function by its dotted name"
    )
    assert [m["to"] for m in client.get("/outbox").get_json()] == NEWSLETTER["recipients"], (
        "The worker should send one message per recipient, in order"
    )
    assert client.get(f"/jobs/{job_id}").get_json() == {
        "id": job_id, "status": "finished", "progress": {"sent": 3, "total": 3},
        "result": {"sent": 3}, "error": None,
    }, "A finished job shows its result and its final progress"


@pytest.mark.points(20)
def test_failed_job_shows_how_far_it_got(client, cli):
    """A job that fails halfway is failed, with its progress and error"""
    job_id = queue_newsletter(client, {"subject": "Oops", "recipients": [
        "ann@example.org", "bob@example.org", "not-an-address", "dee@example.org"]})
    assert cli("worker").exit_code == 0, "A failed job must not crash the worker command"
    job = client.get(f"/jobs/{job_id}").get_json()
    assert job["status"] == "failed", "A job whose function raised is failed"
    assert job["progress"] == {"sent": 2, "total": 4}, (
        "The progress should show how far the job got: is it saved where others can read it?"
    )
    assert job["error"] == "ValueError: bad address: not-an-address", (
        "Show the last line of the job's traceback as error"
    )
    assert job["result"] is None, "A failed job has no result"


@pytest.mark.points(10)
def test_job_options(client, learner):
    """Jobs get a 60 s time limit and their results are kept for a day"""
    job_id = queue_newsletter(client)
    options = learner.eval(
        "(lambda job: [job.timeout, job.result_ttl, job.func_name])(__import__('rq.job', "
        f"fromlist=['Job']).Job.fetch({job_id!r}, connection=app.extensions['redis']))"
    )
    assert options[:2] == [60, 86400], "Set job_timeout and result_ttl when you enqueue"
    assert options[2] == "jobs.send_newsletter", (
        "Queue jobs.send_newsletter: a worker imports the job's function by its name"
    )


@pytest.mark.points(10)
def test_unknown_job(client):
    """An unknown job id is a JSON 404"""
    r = client.get("/jobs/no-such-job")
    assert r.status_code == 404, "A job that does not exist (or has expired) is Not Found"
    assert r.get_json() == {"error": "no such job"}, "Explain the 404 in JSON"


@pytest.mark.points(3)
@pytest.mark.parametrize("body", [
    {"recipients": ["ann@example.org"]},
    {"subject": " ", "recipients": ["ann@example.org"]},
    {"subject": "Hi", "recipients": []},
    {"subject": "Hi", "recipients": "ann@example.org"},
    {"subject": "Hi", "recipients": [1, 2]},
])
def test_bad_newsletters_are_not_queued(client, learner, body):
    """A bad newsletter is refused with 400 and never queued"""
    assert client.post("/newsletters", json=body).status_code == 400, (
        "Check the subject and the recipients before queueing"
    )
    assert learner.eval("app.extensions['rq_queue'].count") == 0, (
        "A refused newsletter must not reach the queue"
    )
