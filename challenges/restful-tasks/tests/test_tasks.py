"""Hidden tests: the task API's resources, parsers and marshalling."""

from __future__ import annotations

import pytest


def task(task_id: int, title: str, priority: int = 2, done: bool = False) -> dict:
    return {"id": task_id, "title": title, "priority": priority, "done": done,
            "uri": f"/tasks/{task_id}"}


@pytest.mark.points(20)
def test_create_marshals_and_answers_201(client):
    """POST /tasks answers 201, the marshalled task and its Location"""
    r = client.post("/tasks", json={"title": "  Write report "})
    assert r.status_code == 201, "Return the status code with the task: a new resource is 201"
    assert r.get_json() == task(1, "Write report"), (
        "Marshal the task: id, the stripped title, the defaults and its uri"
    )
    assert r.headers.get("Location", "").endswith("/tasks/1"), "Point Location at the new task"
    r = client.post("/tasks", json={"title": "Call Ann", "priority": 1, "done": True})
    assert r.get_json() == task(2, "Call Ann", 1, True), "Every argument sent should be used"


@pytest.mark.points(5)
@pytest.mark.parametrize(
    "cases",
    [
        [({"priority": 1}, "title"), ({"title": "   "}, "title"), ({"title": None}, "title")],
        [({"title": "Plan", "priority": 7}, "priority"), ({"title": "Plan", "done": "maybe"}, "done")],
    ],
    ids=["title", "priority-and-done"],
)
def test_parser_refuses_bad_tasks(client, cases):
    """The request parser refuses bad tasks with 400"""
    for body, argument in cases:
        r = client.post("/tasks", json=body)
        assert r.status_code == 400, "Let the request parser refuse this body"
        message = (r.get_json(silent=True) or {}).get("message")
        assert isinstance(message, dict) and argument in message, (
            "reqparse reports the wrong argument by name in message"
        )
    assert client.get("/tasks").get_json() == [], "A refused task must not be stored"


@pytest.mark.points(15)
def test_filter_by_done(client):
    """GET /tasks?done=... filters with a real boolean"""
    client.post("/tasks", json={"title": "Write report"})
    client.post("/tasks", json={"title": "Call Ann", "done": True})
    assert client.get("/tasks").get_json() == [task(1, "Write report"), task(2, "Call Ann", done=True)], (
        "Without a filter, list every task"
    )
    assert client.get("/tasks", query_string={"done": "true"}).get_json() == [
        task(2, "Call Ann", done=True)
    ], "done=true lists the finished tasks"
    assert client.get("/tasks", query_string={"done": "false"}).get_json() == [
        task(1, "Write report")
    ], "done=false lists the open tasks: what does bool('false') give?"
    assert client.get("/tasks", query_string={"done": "maybe"}).status_code == 400, (
        "A filter that is not a boolean is refused"
    )


@pytest.mark.points(15)
def test_read_one_task(client):
    """GET /tasks/<id> answers the task, or a 404 message"""
    client.post("/tasks", json={"title": "Write report", "priority": 3})
    r = client.get("/tasks/1")
    assert r.status_code == 200, "An existing task is found"
    assert r.get_json() == task(1, "Write report", 3), "Marshal the task the same way everywhere"
    missing = client.get("/tasks/9")
    assert missing.status_code == 404, "There is no task 9"
    assert missing.get_json() == {"message": "task 9 not found"}, (
        "Use Flask-RESTful's abort with a message"
    )


@pytest.mark.points(15)
def test_patch_changes_what_it_sends(client):
    """PATCH changes only the arguments it sends, with the same rules"""
    client.post("/tasks", json={"title": "Write report", "priority": 3})
    r = client.patch("/tasks/1", json={"done": True})
    assert r.status_code == 200, "A PATCH without a title is fine: nothing is required on update"
    assert r.get_json() == task(1, "Write report", 3, True), "Arguments not sent keep their values"
    assert client.patch("/tasks/1", json={"priority": 5}).status_code == 400, (
        "An update follows the same rules as a create"
    )
    assert client.get("/tasks/1").get_json()["priority"] == 3, "A refused update changes nothing"
    assert client.patch("/tasks/9", json={"done": True}).status_code == 404, "Unknown task: 404"


@pytest.mark.points(15)
def test_delete_answers_204(client):
    """DELETE answers 204 with no body, and the task is gone"""
    client.post("/tasks", json={"title": "Write report"})
    r = client.delete("/tasks/1")
    assert r.status_code == 204, "A successful delete answers 204 No Content"
    assert r.data == b"", "204 means no body at all"
    assert client.get("/tasks/1").status_code == 404, "The deleted task is gone"
    assert client.delete("/tasks/1").status_code == 404, "Deleting it again is a 404"


@pytest.mark.points(10)
def test_resources_are_registered(learner):
    """TaskList and Task are Flask-RESTful resources on their endpoints"""
    names = learner.eval(
        "{e: app.view_functions[e].view_class.__name__ for e in ('tasks', 'task')}"
    )
    assert names == {"tasks": "TaskList", "task": "Task"}, (
        "Register TaskList as 'tasks' and Task as 'task' with api.add_resource"
    )
    assert learner.eval(
        "all(issubclass(app.view_functions[e].view_class, __import__('flask_restful').Resource)"
        " for e in ('tasks', 'task'))"
    ), "Both classes subclass flask_restful.Resource"
