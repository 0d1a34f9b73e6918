"""Code review through the API: score overrides with their audit log, line comments, events."""

from __future__ import annotations

import time

import pytest
from server_support import MUTANT, SOLUTION, passing_result, submit, wait_final

from grader.extensions import socketio


def graded(app, client, headers, content: bytes = SOLUTION) -> int:
    return wait_final(app, submit(client, headers, content).get_json()["id"]).id


def live(app, headers):
    return socketio.test_client(app, namespace="/live",
                                auth={"token": headers["Authorization"].split()[1]})


def collect(client, until: str, count: int = 1, timeout: float = 5.0) -> list[dict]:
    """Every event received until `count` events named `until` arrived."""
    got: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and [e["name"] for e in got].count(until) < count:
        got += client.get_received("/live")
        time.sleep(0.02)
    return got


def named(events: list[dict], name: str) -> list[dict]:
    return [e["args"][0] for e in events if e["name"] == name]


# -- score overrides ---------------------------------------------------------------------------

def test_override_changes_the_score_that_counts_and_is_audited(app, client, teacher, student,
                                                               fake_runner):
    from grader import signals

    fake_runner.script = [passing_result(40)]
    sub = graded(app, client, student)
    heard: list[tuple[int, int, int]] = []

    def on_override(_app, submission, old, new, **_):
        heard.append((submission.id, old, new))

    signals.score_overridden.connect(on_override)
    answer = client.put(f"/api/v1/submissions/{sub}/override", headers=teacher,
                        json={"score": 90, "reason": "The route works; the test was too strict"})
    assert answer.status_code == 200
    record = answer.get_json()
    assert record["score"] == 90 and record["graded_score"] == 40
    assert record["override"]["score"] == 90 and record["override"]["by"] == "teach"
    assert record["override"]["reason"] == "The route works; the test was too strict"
    assert record["override"]["at"].endswith("Z")
    # the learner reads the same record
    mine = client.get(f"/api/v1/submissions/{sub}", headers=student).get_json()
    assert mine["score"] == 90 and mine["override"]["reason"].startswith("The route works")
    board = client.get("/api/v1/leaderboard").get_json()["rows"]
    assert board[0]["name"] == "ann" and board[0]["score"] == 90
    removed = client.delete(f"/api/v1/submissions/{sub}/override?reason=Asked+again", headers=teacher)
    assert removed.status_code == 200
    assert removed.get_json()["score"] == 40 and removed.get_json()["override"] is None
    assert client.get("/api/v1/leaderboard").get_json()["rows"][0]["score"] == 40
    signals.score_overridden.disconnect(on_override)
    assert heard == [(sub, 40, 90), (sub, 90, 40)]  # what course credit and passback listen to
    log = client.get(f"/api/v1/submissions/{sub}/audit", headers=teacher).get_json()["entries"]
    assert [(e["old"], e["new"], e["graded"], e["by"]) for e in log] == [
        (40, 90, 40, "teach"), (90, None, 40, "teach")]
    assert log[1]["reason"] == "Asked again" and all(e["at"].endswith("Z") for e in log)


def test_overrides_rank_the_leaderboard_in_sql(app, client, make_user, teacher, fake_runner):
    _, ann = make_user("ann")
    _, bob = make_user("bob")
    fake_runner.script = [passing_result(100), passing_result(40)]
    graded(app, client, ann)
    bob_sub = graded(app, client, bob, MUTANT)
    names = [r["name"] for r in client.get("/api/v1/leaderboard").get_json()["rows"]]
    assert names == ["ann", "bob"]
    assert client.put(f"/api/v1/submissions/{bob_sub}/override", headers=teacher,
                      json={"score": 100, "reason": "Equivalent output"}).status_code == 200
    rows = client.get("/api/v1/leaderboard").get_json()["rows"]
    assert [(r["name"], r["score"], r["solved"]) for r in rows] == [("ann", 100, 1),
                                                                   ("bob", 100, 1)]
    listed = client.get("/api/v1/challenges", headers=bob).get_json()["challenges"]
    assert listed[0]["best_score"] == 100 and listed[0]["solved"] is True


@pytest.mark.parametrize("body,status,code", [
    ({"score": 101, "reason": "x"}, 422, "bad_score"),
    ({"score": -1, "reason": "x"}, 422, "bad_score"),
    ({"score": 50, "reason": "   "}, 422, "reason_required"),
    ({"score": "50", "reason": "x"}, 422, "invalid_request"),
    ({"reason": "x"}, 422, "invalid_request"),
])
def test_bad_overrides_are_refused_and_change_nothing(app, client, teacher, student, fake_runner,
                                                      body, status, code):
    sub = graded(app, client, student)
    answer = client.put(f"/api/v1/submissions/{sub}/override", headers=teacher, json=body)
    assert answer.status_code == status and answer.get_json()["error"]["code"] == code
    record = client.get(f"/api/v1/submissions/{sub}", headers=student).get_json()
    assert record["score"] == 100 and record["override"] is None
    assert client.get(f"/api/v1/submissions/{sub}/audit",
                      headers=teacher).get_json()["entries"] == []


def test_only_teachers_override_and_only_graded_work(app, client, teacher, student, fake_runner):
    import threading

    sub = graded(app, client, student)
    denied = client.put(f"/api/v1/submissions/{sub}/override", headers=student,
                        json={"score": 0, "reason": "mine"})
    assert denied.status_code == 403
    assert client.get(f"/api/v1/submissions/{sub}/audit", headers=student).status_code == 403
    nothing = client.delete(f"/api/v1/submissions/{sub}/override?reason=x", headers=teacher)
    assert nothing.status_code == 409 and nothing.get_json()["error"]["code"] == "no_override"
    no_reason = client.delete(f"/api/v1/submissions/{sub}/override", headers=teacher)
    assert no_reason.status_code == 422
    fake_runner.gate = threading.Event()
    pending = submit(client, student).get_json()["id"]
    waiting = client.put(f"/api/v1/submissions/{pending}/override", headers=teacher,
                         json={"score": 10, "reason": "too soon"})
    assert waiting.status_code == 409 and waiting.get_json()["error"]["code"] == "not_graded"
    fake_runner.gate.set()
    wait_final(app, pending)
    missing = client.put("/api/v1/submissions/9999/override", headers=teacher,
                         json={"score": 10, "reason": "x"})
    assert missing.status_code == 404


def test_an_override_goes_live_with_the_effective_score(app, client, teacher, student,
                                                        fake_runner):
    fake_runner.script = [passing_result(40)]
    sub = graded(app, client, student)
    watcher = live(app, student)
    watcher.get_received("/live")
    client.put(f"/api/v1/submissions/{sub}/override", headers=teacher,
               json={"score": 75, "reason": "partial credit for the JSON route"})
    got = collect(watcher, "leaderboard.update")
    # (the grading's own final update may arrive late, just before the override's)
    assert named(got, "submission.update")[-1] == {"id": sub, "status": "failed", "score": 75,
                                                   "max_score": 100}
    assert named(got, "leaderboard.update")[-1]["rows"][0]["score"] == 75


def test_a_regrade_keeps_the_override(app, client, teacher, student, fake_runner):
    fake_runner.script = [passing_result(40), passing_result(60)]
    sub = graded(app, client, student)
    client.put(f"/api/v1/submissions/{sub}/override", headers=teacher,
               json={"score": 80, "reason": "reviewed by hand"})
    assert client.post(f"/api/v1/submissions/{sub}/regrade", headers=teacher).status_code == 202
    time.sleep(0.2)
    wait_final(app, sub)
    record = client.get(f"/api/v1/submissions/{sub}", headers=teacher).get_json()
    assert (record["graded_score"], record["score"]) == (60, 80)


# -- comments ----------------------------------------------------------------------------------

def test_teacher_comments_a_line_and_the_learner_replies(app, client, teacher, student,
                                                         fake_runner):
    sub = graded(app, client, student)
    made = client.post(f"/api/v1/submissions/{sub}/comments", headers=teacher,
                       json={"path": "app.py", "line": 7, "body": "Why a second route here?"})
    assert made.status_code == 201
    comment = made.get_json()
    assert (comment["path"], comment["line"], comment["author"], comment["staff"]) == (
        "app.py", 7, "teach", True) and comment["parent"] is None
    assert client.get("/api/v1/comments/unread", headers=student).get_json() == {
        "count": 1, "submissions": [{"id": sub, "challenge": "hello-routes", "count": 1}]}
    listed = client.get(f"/api/v1/submissions/{sub}/comments", headers=student).get_json()
    assert listed["unread"] == 1 and listed["comments"][0]["new"] is True
    reply = client.post(f"/api/v1/submissions/{sub}/comments", headers=student,
                        json={"parent": comment["id"], "body": "It greets by name."})
    assert reply.status_code == 201
    assert reply.get_json()["parent"] == comment["id"] and reply.get_json()["line"] == 7
    read = client.post(f"/api/v1/submissions/{sub}/comments/read", headers=student)
    assert read.get_json() == {"count": 0}
    thread = client.get(f"/api/v1/submissions/{sub}/comments", headers=teacher).get_json()
    assert [(c["author"], c["new"]) for c in thread["comments"]] == [("teach", False),
                                                                     ("ann", True)]


@pytest.mark.parametrize("body,status,code", [
    ({"path": "nope.py", "line": 1, "body": "x"}, 422, "unknown_file"),
    ({"path": "app.py", "line": 0, "body": "x"}, 422, "bad_line"),
    ({"path": "app.py", "line": 999, "body": "x"}, 422, "bad_line"),
    ({"path": "app.py", "line": 2, "body": "  "}, 422, "empty_comment"),
    ({"body": "where?"}, 422, "no_line"),
    ({"parent": 12345, "body": "x"}, 404, "not_found"),
])
def test_bad_comments_are_refused(app, client, teacher, student, fake_runner, body, status, code):
    sub = graded(app, client, student)
    answer = client.post(f"/api/v1/submissions/{sub}/comments", headers=teacher, json=body)
    assert answer.status_code == status and answer.get_json()["error"]["code"] == code
    assert client.get(f"/api/v1/submissions/{sub}/comments",
                      headers=teacher).get_json()["comments"] == []


def test_learners_reply_only_on_their_own_and_never_start_a_thread(app, client, make_user,
                                                                   teacher, fake_runner):
    _, ann = make_user("ann")
    _, bob = make_user("bob")
    sub = graded(app, client, ann)
    start = client.post(f"/api/v1/submissions/{sub}/comments", headers=ann,
                        json={"path": "app.py", "line": 1, "body": "note to self"})
    assert start.status_code == 403
    root = client.post(f"/api/v1/submissions/{sub}/comments", headers=teacher,
                       json={"path": "app.py", "line": 1, "body": "Import only what you use"})
    other = client.post(f"/api/v1/submissions/{sub}/comments", headers=bob,
                        json={"parent": root.get_json()["id"], "body": "me too"})
    assert other.status_code == 403
    assert client.get(f"/api/v1/submissions/{sub}/comments", headers=bob).status_code == 403


def test_comments_go_live_to_the_learner_with_the_unread_count(app, client, teacher, student,
                                                               fake_runner):
    sub = graded(app, client, student)
    learner, staff = live(app, student), live(app, teacher)
    learner.get_received("/live")
    staff.get_received("/live")
    root = client.post(f"/api/v1/submissions/{sub}/comments", headers=teacher,
                       json={"path": "app.py", "line": 3, "body": "Name this function"}).get_json()
    got = collect(learner, "review.unread")
    assert named(got, "review.comment") == [root]
    assert named(got, "review.unread") == [{"count": 1}]
    client.post(f"/api/v1/submissions/{sub}/comments", headers=student,
                json={"parent": root["id"], "body": "Done"})
    seen = named(collect(staff, "review.comment", count=2), "review.comment")
    assert [(c["author"], c["parent"]) for c in seen] == [("teach", None), ("ann", root["id"])]
    # replying reads the thread: the badge goes to zero at once
    assert named(collect(learner, "review.unread"), "review.unread") == [{"count": 0}]
    client.post(f"/api/v1/submissions/{sub}/comments", headers=teacher,
                json={"parent": root["id"], "body": "Good"})
    assert named(collect(learner, "review.unread"), "review.unread") == [{"count": 1}]
    client.post(f"/api/v1/submissions/{sub}/comments/read", headers=student)
    assert named(collect(learner, "review.unread"), "review.unread") == [{"count": 0}]
