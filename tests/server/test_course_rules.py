"""Course rules with a fixed clock: on time, each late step, closing, extensions, the cap,
regrades after the due time, and a backlog that grades after the deadline."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from course_support import COURSE, DUE, POLICY, SLUG, T0, assign, extend, final_record, make_course
from server_support import passing_result, submit, wait_final

from grader.extensions import db
from grader.models import Submission
from grader.services import deadlines


@pytest.fixture
def course(client, make_user, clock):
    return make_course(client, make_user)


def test_a_submission_on_time_keeps_full_credit(app, client, course, clock, fake_runner):
    clock.set(DUE - timedelta(minutes=1))
    queued = submit(client, course.ann, course=COURSE)
    assert queued.status_code == 202
    body = queued.get_json()
    assert (body["course"], body["late_hours"], body["credit"]) == (COURSE, 0, 100)
    assert body["submitted_at"] == "2026-11-21T11:59:00.000Z"
    record = final_record(app, client, course.ann, body["id"])
    assert (record["score"], record["credit"], record["credited_score"]) == (100, 100, 100)


def test_a_submission_exactly_at_the_due_time_is_on_time(app, client, course, clock,
                                                         fake_runner):
    clock.set(DUE)
    body = submit(client, course.ann, course=COURSE).get_json()
    assert (body["late_hours"], body["credit"]) == (0, 100)


@pytest.mark.parametrize("hours_late,credit", [
    (1, 80), (24, 80), (24.5, 50), (72, 50), (73, 0),
])
def test_each_late_step_gives_its_credit(app, client, course, clock, fake_runner,
                                         hours_late, credit):
    fake_runner.script = [passing_result(90)]
    clock.set(DUE + timedelta(hours=hours_late))
    body = submit(client, course.ann, course=COURSE).get_json()
    assert body["late_hours"] == pytest.approx(hours_late)
    assert body["credit"] == credit
    record = final_record(app, client, course.ann, body["id"])
    assert record["score"] == 90
    assert record["credited_score"] == 90 * credit // 100


def test_credit_is_rounded_down(app, client, course, clock, fake_runner):
    fake_runner.script = [passing_result(85)]
    clock.set(DUE + timedelta(hours=30))  # 50 %
    record = final_record(app, client, course.ann,
                          submit(client, course.ann, course=COURSE).get_json()["id"])
    assert record["credited_score"] == 42  # 42.5 rounded down


def test_after_closing_the_course_refuses_but_practice_is_taken(app, client, make_user, clock,
                                                              fake_runner):
    course = make_course(client, make_user, time_zone="Europe/Paris",
                         closes_at=DUE + timedelta(hours=48))
    clock.set(DUE + timedelta(hours=48, seconds=1))
    refused = submit(client, course.ann, course=COURSE)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "closed"
    # 2026-11-23 12:00 UTC is 13:00 in Paris: the message names both.
    assert "2026-11-23 13:00 Europe/Paris (2026-11-23 12:00 UTC)" in error["message"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0
    practice = submit(client, course.ann)
    assert practice.status_code == 202
    assert (practice.get_json()["course"], practice.get_json()["credit"]) == (None, 100)


def test_before_opening_the_course_refuses_and_hides_it(app, client, make_user, clock,
                                                      fake_runner):
    course = make_course(client, make_user, opens_at=T0 + timedelta(hours=2))
    refused = submit(client, course.ann, course=COURSE)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "not_open"
    mine = client.get(f"/api/v1/courses/{COURSE}", headers=course.ann).get_json()
    assert mine["assignments"] == []
    staff = client.get(f"/api/v1/courses/{COURSE}", headers=course.teacher).get_json()
    assert [a["challenge"] for a in staff["assignments"]] == [SLUG]
    assert staff["assignments"][0]["state"] == "upcoming"
    clock.advance(hours=2)
    assert submit(client, course.ann, course=COURSE).status_code == 202
    mine = client.get(f"/api/v1/courses/{COURSE}", headers=course.ann).get_json()
    assert [a["state"] for a in mine["assignments"]] == ["open"]


def test_an_extension_moves_one_learners_dates(app, client, course, clock, fake_runner):
    granted = extend(client, course.teacher, "ann", due_at=DUE + timedelta(days=3))
    assert granted.status_code == 200, granted.get_json()
    assert granted.get_json()["due_at"] == "2026-11-24T12:00:00.000Z"
    assert granted.get_json()["default_due_at"] == "2026-11-21T12:00:00.000Z"
    clock.set(DUE + timedelta(days=1))
    anns = submit(client, course.ann, course=COURSE).get_json()
    bobs = submit(client, course.bob, course=COURSE).get_json()
    assert (anns["credit"], anns["late_hours"]) == (100, 0)
    assert (bobs["credit"], bobs["late_hours"]) == (80, 24)
    view = client.get(f"/api/v1/courses/{COURSE}", headers=course.ann).get_json()
    mine = view["assignments"][0]
    assert (mine["due_at"], mine["extended"], mine["state"]) == (
        "2026-11-24T12:00:00.000Z", True, "open")
    others = client.get(f"/api/v1/courses/{COURSE}", headers=course.bob).get_json()
    assert (others["assignments"][0]["due_at"], others["assignments"][0]["extended"]) == (
        "2026-11-21T12:00:00.000Z", False)


def test_an_extension_past_the_closing_time_keeps_the_course_open_for_that_learner(
        app, client, make_user, clock, fake_runner):
    course = make_course(client, make_user, closes_at=DUE + timedelta(hours=48))
    assert extend(client, course.teacher, "ann",
                  due_at=DUE + timedelta(hours=96)).status_code == 200
    clock.set(DUE + timedelta(hours=72))
    assert submit(client, course.ann, course=COURSE).get_json()["credit"] == 100
    assert submit(client, course.bob, course=COURSE).get_json()["error"]["code"] == "closed"


def test_an_extension_granted_after_a_late_submission_restores_its_credit(
        app, client, course, clock, fake_runner):
    clock.set(DUE + timedelta(hours=5))
    sub_id = submit(client, course.ann, course=COURSE).get_json()["id"]
    assert final_record(app, client, course.ann, sub_id)["credit"] == 80
    assert extend(client, course.teacher, "ann", due_at=DUE + timedelta(days=2)).status_code == 200
    record = final_record(app, client, course.ann, sub_id)
    assert (record["credit"], record["late_hours"], record["credited_score"]) == (100, 0, 100)
    assert client.delete(f"/api/v1/courses/{COURSE}/extensions/ann/{SLUG}",
                         headers=course.teacher).status_code == 200
    assert final_record(app, client, course.ann, sub_id)["credit"] == 80


def test_the_submission_cap(app, client, make_user, clock, fake_runner):
    course = make_course(client, make_user, max_submissions=2)
    first = submit(client, course.ann, course=COURSE).get_json()["id"]
    submit(client, course.ann, course=COURSE)
    refused = submit(client, course.ann, course=COURSE)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "submission_limit"
    assert submit(client, course.bob, course=COURSE).status_code == 202  # caps are per learner
    assert submit(client, course.ann).status_code == 202  # practice is never capped
    view = client.get(f"/api/v1/courses/{COURSE}", headers=course.ann).get_json()
    assert (view["assignments"][0]["submissions"],
            view["assignments"][0]["submissions_left"]) == (2, 0)
    # A grader fault is not the learner's: it gives the place back.
    wait_final(app, first)
    with app.app_context():
        db.session.get(Submission, first).status = "internal_error"
        db.session.commit()
    assert submit(client, course.ann, course=COURSE).status_code == 202


def test_a_regrade_after_the_due_time_keeps_the_credit(app, client, course, clock, teacher,
                                                      fake_runner):
    fake_runner.script = [passing_result(60), passing_result(100)]
    clock.set(DUE - timedelta(hours=1))
    sub_id = submit(client, course.ann, course=COURSE).get_json()["id"]
    assert final_record(app, client, course.ann, sub_id)["credited_score"] == 60
    clock.set(DUE + timedelta(days=10))
    assert client.post(f"/api/v1/submissions/{sub_id}/regrade",
                       headers=teacher).status_code == 202
    record = final_record(app, client, course.ann, sub_id)
    assert (record["score"], record["credit"], record["late_hours"],
            record["credited_score"]) == (100, 100, 0, 100)


def test_a_backlog_graded_after_the_deadline_keeps_the_submission_time(
        app, client, course, clock, fake_runner):
    fake_runner.gate = threading.Event()
    clock.set(DUE - timedelta(seconds=30))
    sub_id = submit(client, course.ann, course=COURSE).get_json()["id"]
    clock.set(DUE + timedelta(hours=5))  # the queue is slow; the deadline passes meanwhile
    fake_runner.gate.set()
    record = final_record(app, client, course.ann, sub_id)
    assert record["submitted_at"] == "2026-11-21T11:59:30.000Z"
    assert (record["late_hours"], record["credit"], record["credited_score"]) == (0, 100, 100)


def test_changing_the_due_time_recomputes_credits_from_submission_times(
        app, client, course, clock, fake_runner):
    clock.set(DUE + timedelta(hours=2))
    sub_id = submit(client, course.ann, course=COURSE).get_json()["id"]
    assert final_record(app, client, course.ann, sub_id)["credit"] == 80
    assert assign(client, course.teacher, due_at=DUE + timedelta(hours=3)).status_code == 200
    assert final_record(app, client, course.ann, sub_id)["credit"] == 100


@pytest.mark.parametrize("who,status", [("stranger", 403), ("nobody-course", 404),
                                        ("unassigned", 404)])
def test_who_may_submit_for_a_course(app, client, course, make_user, fake_runner, who, status):
    _, carol = make_user("carol")
    if who == "stranger":
        response = submit(client, carol, course=COURSE)
    elif who == "nobody-course":
        response = submit(client, course.ann, course="no-such-course")
    else:
        assert client.delete(f"/api/v1/courses/{COURSE}/assignments/{SLUG}",
                             headers=course.teacher).status_code == 200
        response = submit(client, course.ann, course=COURSE)
    assert response.status_code == status
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_staff_try_assignments_out_at_any_time(app, client, make_user, clock, fake_runner):
    course = make_course(client, make_user, opens_at=T0 + timedelta(days=5),
                         due_at=T0 + timedelta(days=6), closes_at=T0 + timedelta(days=6))
    assert submit(client, course.teacher, course=COURSE).status_code == 202
    clock.set(T0 + timedelta(days=30))
    assert submit(client, course.teacher, course=COURSE).get_json()["credit"] == 0


@pytest.mark.parametrize("fields,code,words", [
    ({"due_at": "2026-11-21T12:00:00"}, "naive_time", "has no time zone"),
    ({"due_at": "next friday"}, "invalid_time", "not an ISO 8601 time"),
    ({"due_at": "2026-11-19T12:00:00Z"}, "invalid_dates", "opens_at must come before"),
    ({"closes_at": "2026-11-21T11:00:00Z"}, "invalid_dates", "closes_at cannot come before"),
    ({"late_policy": [{"until_hours": 48, "credit": 80}, {"until_hours": 24, "credit": 50}]},
     "invalid_late_policy", "must grow"),
    ({"late_policy": [{"until_hours": 24, "credit": 50}, {"until_hours": 48, "credit": 80}]},
     "invalid_late_policy", "more credit"),
    ({"late_policy": [{"until_hours": 24, "credit": 120}]}, "invalid_request", "late_policy"),
    ({"max_submissions": 0}, "invalid_request", "max_submissions"),
    ({"feedback_before_due": "some"}, "invalid_request", "feedback_before_due"),
])
def test_bad_assignment_input_is_refused_and_changes_nothing(client, course, fields, code,
                                                           words):
    response = client.put(f"/api/v1/courses/{COURSE}/assignments/{SLUG}",
                          headers=course.teacher, json=fields)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == code
    assert words in response.get_json()["error"]["message"]
    stored = client.get(f"/api/v1/courses/{COURSE}", headers=course.teacher).get_json()
    assert stored["assignments"][0]["due_at"] == "2026-11-21T12:00:00.000Z"
    assert stored["assignments"][0]["late_policy"] == POLICY


def test_times_with_an_offset_are_stored_in_utc(client, course):
    response = client.put(f"/api/v1/courses/{COURSE}/assignments/{SLUG}",
                          headers=course.teacher, json={"due_at": "2026-11-22T18:30:00+01:00"})
    assert response.status_code == 200
    assert response.get_json()["due_at"] == "2026-11-22T17:30:00.000Z"


def test_an_extension_cannot_be_earlier_than_the_assignment(client, course):
    response = extend(client, course.teacher, "ann", due_at=DUE - timedelta(hours=1))
    assert response.status_code == 422
    assert "earlier" in response.get_json()["error"]["message"]
    assert extend(client, course.teacher, "carol-not-here",
                  due_at=DUE + timedelta(hours=1)).status_code == 404


def test_credit_rule_is_a_function_of_time_assignment_and_extension():
    """Any scored attempt (a quiz later) gets its credit from the same pure rule."""
    from grader.models import Assignment, Extension

    assignment = Assignment(opens_at=T0, due_at=DUE, late_policy=POLICY)
    assert deadlines.credit_for(DUE, assignment, None) == deadlines.Credit(0.0, 100)
    assert deadlines.credit_for(DUE + timedelta(hours=36), assignment, None).credit == 50
    extension = Extension(due_at=DUE + timedelta(hours=36))
    assert deadlines.credit_for(DUE + timedelta(hours=36), assignment, extension).credit == 100
    assert deadlines.credit_for(DUE + timedelta(days=9), assignment, extension).credit == 0
