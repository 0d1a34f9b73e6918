"""Live events on /live: who receives what."""

from __future__ import annotations

import time

import pytest
from server_support import AuthActions, passing_result, submit, wait_final

from grader.extensions import socketio


def events(client, name: str | None = None) -> list[dict]:
    received = client.get_received("/live")
    return [e for e in received if name is None or e["name"] == name]


def connect(app, flask_client=None, token: str | None = None):
    auth = {"token": token} if token else None
    return socketio.test_client(app, namespace="/live", flask_test_client=flask_client, auth=auth)


def bearer(headers: dict[str, str]) -> str:
    return headers["Authorization"].split(" ", 1)[1]


def collect(client, until: str, timeout: float = 20.0) -> list[dict]:
    """Everything received until an event whose status is final."""
    got: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got += client.get_received("/live")
        if any(e["name"] == "submission.update" and e["args"][0]["status"] == until for e in got):
            return got
        time.sleep(0.02)
    raise AssertionError(f"no {until!r} update; got {[e['name'] for e in got]}")


def test_learner_receives_own_events_in_order(app, client, student, fake_runner):
    live = connect(app, token=bearer(student))
    assert live.is_connected("/live")
    sub_id = submit(client, student).get_json()["id"]
    got = collect(live, "passed")
    names = [e["name"] for e in got]
    statuses = [e["args"][0]["status"] for e in got if e["name"] == "submission.update"]
    assert statuses == ["queued", "running", "passed"]
    tests = [e["args"][0] for e in got if e["name"] == "test.result"]
    assert [t["submission_id"] for t in tests] == [sub_id, sub_id]
    assert tests[0]["test"]["id"] == "test_routes.py::test_index"
    # every test result arrives before the final verdict, then the leaderboard changes
    assert names.index("test.result") < names.index("submission.update", 2)
    final = [e["args"][0] for e in got if e["name"] == "submission.update"][-1]
    assert final == {"id": sub_id, "status": "passed", "score": 100, "max_score": 100}
    board = collect_leaderboard(live, got)
    assert board["rows"][0]["name"] == "ann"


def collect_leaderboard(live, seen: list[dict] | None = None, timeout: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout
    seen = list(seen or [])
    while time.monotonic() < deadline:
        seen += live.get_received("/live")
        boards = [e["args"][0] for e in seen if e["name"] == "leaderboard.update"]
        if boards:
            return boards[-1]
        time.sleep(0.02)
    raise AssertionError("no leaderboard.update")


def test_other_learners_never_receive_my_results(app, client, make_user, fake_runner):
    _, ann = make_user("ann")
    _, bob = make_user("bob")
    _, teach = make_user("teach", "teacher")
    ann_live = connect(app, token=bearer(ann))
    bob_live = connect(app, token=bearer(bob))
    teacher_live = connect(app, token=bearer(teach))
    anonymous = connect(app)
    sub_id = submit(client, ann).get_json()["id"]
    collect(ann_live, "passed")
    teacher_got = collect(teacher_live, "passed")
    assert {e["args"][0].get("submission_id", e["args"][0].get("id")) for e in teacher_got
            if e["name"] != "leaderboard.update"} == {sub_id}
    time.sleep(0.2)
    for outsider in (bob_live, anonymous):
        names = {e["name"] for e in outsider.get_received("/live")}
        assert names <= {"leaderboard.update"}
        assert "leaderboard.update" in names  # the leaderboard is public


def test_session_cookie_authenticates_the_socket(app, client, student, fake_runner):
    AuthActions(client).login("ann")
    live = connect(app, flask_client=client)
    assert live.is_connected("/live")
    submit(client, student)
    got = collect(live, "passed")
    assert any(e["name"] == "test.result" for e in got)


def test_invalid_token_is_refused(app):
    live = connect(app, token="gdr_forged")
    assert not live.is_connected("/live")


def test_leaderboard_update_only_when_standings_change(app, client, student, fake_runner):
    fake_runner.script = [passing_result(100), passing_result(40)]
    watcher = connect(app)
    wait_final(app, submit(client, student).get_json()["id"])
    assert collect_leaderboard(watcher)["rows"][0]["score"] == 100
    time.sleep(0.1)
    watcher.get_received("/live")
    wait_final(app, submit(client, student).get_json()["id"])  # worse: standings unchanged
    time.sleep(0.2)
    assert events(watcher, "leaderboard.update") == []


@pytest.mark.parametrize("event", ["submission.update", "test.result"])
def test_teacher_regrade_streams_progress(app, client, student, teacher, fake_runner, event):
    sub_id = submit(client, student).get_json()["id"]
    wait_final(app, sub_id)
    teacher_live = connect(app, token=bearer(teacher))
    assert client.post(f"/api/v1/submissions/{sub_id}/regrade", headers=teacher).status_code == 202
    got = collect(teacher_live, "passed")
    assert any(e["name"] == event for e in got)


def test_rooms_follow_role_changes_without_a_reconnect(app, client, make_user, fake_runner):
    """A promoted learner starts seeing everyone's events, a demoted teacher stops, live."""
    from grader.services import accounts

    _, ann = make_user("ann")
    _, bob = make_user("bob")
    bob_live = connect(app, token=bearer(bob))
    first = submit(client, ann).get_json()["id"]
    wait_final(app, first)
    time.sleep(0.2)
    assert {e["name"] for e in bob_live.get_received("/live")} <= {"leaderboard.update"}
    with app.app_context():
        accounts.assign_role(accounts.by_username("bob"), "teacher")
    assert bob_live.is_connected("/live")
    second = submit(client, ann).get_json()["id"]
    got = collect(bob_live, "passed")
    assert {e["args"][0]["id"] for e in got if e["name"] == "submission.update"} == {second}
    with app.app_context():
        accounts.assign_role(accounts.by_username("bob"), "student")
    third = submit(client, ann).get_json()["id"]
    wait_final(app, third)
    time.sleep(0.3)
    assert {e["name"] for e in bob_live.get_received("/live")} <= {"leaderboard.update"}
