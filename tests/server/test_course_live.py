"""Live events of courses: the course leaderboard in its room, and a learner's own events
cut down to what the course shows before the due time."""

from __future__ import annotations

import time

from course_support import COURSE, make_course
from server_support import passing_result, submit, wait_final
from test_live import bearer, collect, connect


def boards(received: list[dict]) -> list[dict]:
    return [e["args"][0] for e in received if e["name"] == "leaderboard.update"]


def test_the_course_leaderboard_goes_to_its_members_only(app, client, make_user, clock,
                                                         fake_runner):
    course = make_course(client, make_user)
    _, carol = make_user("carol")
    bob_live = connect(app, token=bearer(course.bob))
    carol_live = connect(app, token=bearer(carol))
    fake_runner.script = [passing_result(60)]
    wait_final(app, submit(client, course.ann, course=COURSE).get_json()["id"])
    deadline = time.monotonic() + 10
    received: list[dict] = []
    while time.monotonic() < deadline and not any("course" in b for b in boards(received)):
        received += bob_live.get_received("/live")
        time.sleep(0.02)
    course_board = [b for b in boards(received) if "course" in b]
    assert course_board and course_board[-1] == {
        "course": COURSE, "rows": [{"rank": 1, "name": "ann", "score": 60, "solved": 0,
                                    "last_improvement": course_board[-1]["rows"][0][
                                        "last_improvement"]}]}
    # the global event stays as it was: rows only
    assert all(set(b) == {"rows"} for b in boards(received) if "course" not in b)
    time.sleep(0.2)
    assert all("course" not in b for b in boards(carol_live.get_received("/live")))


def test_hidden_feedback_reaches_staff_whole_and_the_learner_as_graded(
        app, client, make_user, clock, fake_runner):
    course = make_course(client, make_user, feedback_before_due="none")
    _, tina = make_user("tina")
    assert client.put(f"/api/v1/courses/{COURSE}/members/tina", headers=course.teacher,
                      json={"role": "assistant"}).status_code == 200
    ann_live = connect(app, token=bearer(course.ann))
    tina_live = connect(app, token=bearer(tina))
    sub_id = submit(client, course.ann, course=COURSE).get_json()["id"]
    anns = collect(ann_live, "graded")
    updates = [e["args"][0] for e in anns if e["name"] == "submission.update"]
    assert updates[-1] == {"id": sub_id, "status": "graded", "score": None, "max_score": 100,
                           "feedback": "none", "feedback_until": "2026-11-21T12:00:00.000Z"}
    assert not [e for e in anns if e["name"] == "test.result"]
    staff = collect(tina_live, "passed")
    assert len([e for e in staff if e["name"] == "test.result"]) == 2


def test_score_feedback_streams_tests_without_their_messages(app, client, make_user, clock,
                                                             fake_runner):
    course = make_course(client, make_user, feedback_before_due="score")
    fake_runner.script = [passing_result(40)]
    ann_live = connect(app, token=bearer(course.ann))
    teacher_live = connect(app, token=bearer(course.teacher))
    submit(client, course.ann, course=COURSE)
    tests = [e["args"][0]["test"] for e in collect(ann_live, "failed")
             if e["name"] == "test.result"]
    assert [t["status"] for t in tests] == ["passed", "failed"]
    assert all(t["message"] == "" for t in tests)
    full = [e["args"][0]["test"] for e in collect(teacher_live, "failed")
            if e["name"] == "test.result"]
    assert full[1]["message"] == "Greet the name from the URL"
