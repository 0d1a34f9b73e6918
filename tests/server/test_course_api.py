"""The course API: courses and codes, roles, the gradebook, the course leaderboard, and what a
learner sees of a result before the due time."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from course_support import COURSE, DUE, SLUG, T0, assign, extend, final_record, make_course
from server_support import passing_result, submit, wait_final


@pytest.fixture
def course(client, make_user, clock):
    return make_course(client, make_user)


def test_a_teacher_creates_a_course_and_gets_its_code(client, teacher):
    response = client.post("/api/v1/courses", headers=teacher,
                           json={"slug": "web-2026", "title": "Web 2026"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["join_code"] == body["code"] and len(body["code"]) == 8
    assert (body["slug"], body["title"], body["time_zone"], body["role"], body["members"]) == (
        "web-2026", "Web 2026", "UTC", "teacher", 1)


@pytest.mark.parametrize("body,status,code", [
    ({"slug": "Bad Slug", "title": "x"}, 422, "invalid_slug"),
    ({"slug": "join", "title": "x"}, 422, "invalid_slug"),
    ({"slug": "ok-slug", "title": ""}, 422, "invalid_title"),
    ({"slug": "ok-slug", "title": "x", "time_zone": "Mars/Olympus"}, 422, "invalid_time_zone"),
    ({"title": "no slug"}, 422, "invalid_request"),
])
def test_bad_courses_are_refused(client, teacher, body, status, code):
    response = client.post("/api/v1/courses", headers=teacher, json=body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert client.get("/api/v1/courses", headers=teacher).get_json()["courses"] == []


def test_course_slugs_are_unique_and_learners_cannot_create(client, teacher, student):
    assert client.post("/api/v1/courses", headers=teacher,
                       json={"slug": "c1", "title": "One"}).status_code == 201
    again = client.post("/api/v1/courses", headers=teacher, json={"slug": "c1", "title": "Two"})
    assert (again.status_code, again.get_json()["error"]["code"]) == (409, "slug_taken")
    assert client.post("/api/v1/courses", headers=student,
                       json={"slug": "c2", "title": "Mine"}).status_code == 403


def test_learners_join_with_the_code_and_see_only_their_courses(client, course, make_user):
    _, carol = make_user("carol")
    assert client.get("/api/v1/courses", headers=carol).get_json()["courses"] == []
    assert client.get(f"/api/v1/courses/{COURSE}", headers=carol).status_code == 403
    wrong = client.post("/api/v1/courses/join", headers=carol, json={"code": "NOPE2345"})
    assert (wrong.status_code, wrong.get_json()["error"]["code"]) == (404, "invalid_code")
    typed = f" {course.code[:4].lower()}-{course.code[4:]} "  # as a person might type it
    joined = client.post("/api/v1/courses/join", headers=carol, json={"code": typed})
    assert joined.status_code == 200
    assert (joined.get_json()["slug"], joined.get_json()["role"]) == (COURSE, "student")
    assert joined.get_json()["join_code"] is None  # codes are for staff to hand out
    again = client.post("/api/v1/courses/join", headers=carol, json={"code": course.code})
    assert again.status_code == 200
    mine = client.get("/api/v1/courses", headers=carol).get_json()["courses"]
    assert [(c["slug"], c["role"], c["members"]) for c in mine] == [(COURSE, "student", 4)]


def test_a_new_code_replaces_the_old_one(client, course, make_user):
    fresh = client.post(f"/api/v1/courses/{COURSE}/code", headers=course.teacher)
    assert fresh.status_code == 200
    new_code = fresh.get_json()["code"]
    assert new_code != course.code and fresh.get_json()["join_code"] == new_code
    _, carol = make_user("carol")
    assert client.post("/api/v1/courses/join", headers=carol,
                       json={"code": course.code}).status_code == 404
    assert client.post("/api/v1/courses/join", headers=carol,
                       json={"code": new_code}).status_code == 200
    assert client.post(f"/api/v1/courses/{COURSE}/code", headers=course.ann).status_code == 403


def test_teachers_change_the_title_and_time_zone(client, course):
    response = client.patch(f"/api/v1/courses/{COURSE}", headers=course.teacher,
                            json={"title": "Flask, autumn", "time_zone": "America/New_York"})
    assert response.status_code == 200
    assert (response.get_json()["title"], response.get_json()["time_zone"]) == (
        "Flask, autumn", "America/New_York")
    assert client.patch(f"/api/v1/courses/{COURSE}", headers=course.teacher,
                        json={"time_zone": "Nowhere/City"}).status_code == 422
    assert client.patch(f"/api/v1/courses/{COURSE}", headers=course.ann,
                        json={"title": "Mine now"}).status_code == 403


def test_assistants_see_and_extend_but_do_not_change_assignments(app, client, course,
                                                                 make_user, fake_runner):
    _, tina = make_user("tina")
    made = client.put(f"/api/v1/courses/{COURSE}/members/tina", headers=course.teacher,
                      json={"role": "assistant"})
    assert made.status_code == 200 and made.get_json()["role"] == "assistant"
    sub_id = submit(client, course.ann, course=COURSE).get_json()["id"]
    wait_final(app, sub_id)
    assert client.get(f"/api/v1/submissions/{sub_id}", headers=tina).status_code == 200
    everyone = client.get(f"/api/v1/submissions?course={COURSE}&all=true", headers=tina)
    assert [r["id"] for r in everyone.get_json()["submissions"]] == [sub_id]
    assert client.get(f"/api/v1/courses/{COURSE}/gradebook", headers=tina).status_code == 200
    assert extend(client, tina, "bob", due_at=DUE + timedelta(days=1)).status_code == 200
    assert client.get(f"/api/v1/courses/{COURSE}/members", headers=tina).status_code == 200
    refused = assign(client, tina, due_at=DUE + timedelta(days=9))
    assert refused.status_code == 403
    assert client.put(f"/api/v1/courses/{COURSE}/members/bob", headers=tina,
                      json={"role": "teacher"}).status_code == 403
    # learners see none of it
    assert client.get(f"/api/v1/courses/{COURSE}/gradebook", headers=course.bob).status_code == 403
    assert client.get(f"/api/v1/submissions/{sub_id}", headers=course.bob).status_code == 403
    assert extend(client, course.bob, "bob", due_at=DUE + timedelta(days=9)).status_code == 403


def test_the_roster_keeps_a_teacher(client, course):
    members = client.get(f"/api/v1/courses/{COURSE}/members", headers=course.teacher)
    assert [(m["user"], m["role"]) for m in members.get_json()["members"]] == [
        ("teach", "teacher"), ("ann", "student"), ("bob", "student")]
    last = client.put(f"/api/v1/courses/{COURSE}/members/teach", headers=course.teacher,
                      json={"role": "student"})
    assert (last.status_code, last.get_json()["error"]["code"]) == (409, "last_teacher")
    assert client.delete(f"/api/v1/courses/{COURSE}/members/bob",
                         headers=course.teacher).status_code == 200
    assert client.get(f"/api/v1/courses/{COURSE}", headers=course.bob).status_code == 403


def test_the_gradebook(app, client, make_user, clock, fake_runner):
    course = make_course(client, make_user, closes_at=DUE + timedelta(days=3))
    fake_runner.script = [passing_result(60), passing_result(90)]
    clock.set(DUE - timedelta(hours=1))
    first = submit(client, course.ann, course=COURSE).get_json()["id"]
    wait_final(app, first)
    clock.set(DUE + timedelta(hours=10))
    second = submit(client, course.ann, course=COURSE).get_json()["id"]
    wait_final(app, second)
    # ann: 60 on time, then 90 * 80 % = 72 late: the best credited one counts.
    clock.set(DUE + timedelta(hours=11))
    book = client.get(f"/api/v1/courses/{COURSE}/gradebook", headers=course.teacher)
    assert book.status_code == 200
    body = book.get_json()
    assert [a["challenge"] for a in body["assignments"]] == [SLUG]
    rows = {row["user"]: row for row in body["rows"]}
    assert set(rows) == {"ann", "bob"}  # the teacher is not graded
    ann, bob = rows["ann"], rows["bob"]
    assert (ann["total"], ann["scores"], ann["late"], ann["missing"]) == (72, {SLUG: 72},
                                                                          [SLUG], [])
    assert ann["cells"][0]["submission"] == second and ann["cells"][0]["credit"] == 80
    assert (bob["total"], bob["scores"], bob["missing"], bob["cells"][0]["state"]) == (
        0, {SLUG: None}, [SLUG], "missing")
    text = client.get(f"/api/v1/courses/{COURSE}/gradebook?format=csv", headers=course.teacher)
    assert text.status_code == 200 and text.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(text.get_data(as_text=True))))
    assert table == [["username", SLUG, "total", "late", "missing"],
                     ["ann", "72", "72", SLUG, ""], ["bob", "", "0", "", SLUG]]
    assert client.get(f"/api/v1/courses/{COURSE}/gradebook?format=xml",
                      headers=course.teacher).status_code == 422


def test_the_course_leaderboard_ranks_credited_scores(app, client, course, clock, fake_runner,
                                                      make_user):
    fake_runner.script = [passing_result(100), passing_result(90)]
    clock.set(DUE + timedelta(hours=2))  # ann is late: 100 * 80 % = 80
    wait_final(app, submit(client, course.ann, course=COURSE).get_json()["id"])
    clock.set(DUE - timedelta(hours=2))
    wait_final(app, submit(client, course.bob, course=COURSE).get_json()["id"])
    board = client.get(f"/api/v1/courses/{COURSE}/leaderboard", headers=course.ann).get_json()
    assert board["course"] == COURSE
    assert [(r["name"], r["score"]) for r in board["rows"]] == [("bob", 90), ("ann", 80)]
    # the global board keeps raw scores
    assert [(r["name"], r["score"]) for r in
            client.get("/api/v1/leaderboard").get_json()["rows"]] == [("ann", 100), ("bob", 90)]
    _, carol = make_user("carol")
    assert client.get(f"/api/v1/courses/{COURSE}/leaderboard", headers=carol).status_code == 403


def test_score_feedback_shows_pass_fail_without_messages_until_due(app, client, make_user, clock,
                                                                   fake_runner):
    course = make_course(client, make_user, feedback_before_due="score")
    fake_runner.script = [passing_result(40)]
    sub_id = submit(client, course.ann, course=COURSE).get_json()["id"]
    record = final_record(app, client, course.ann, sub_id)
    assert (record["status"], record["score"], record["feedback"]) == ("failed", 40, "score")
    assert record["feedback_until"] == "2026-11-21T12:00:00.000Z"
    assert [t["status"] for t in record["tests"]] == ["passed", "failed"]
    assert all(t["message"] == "" for t in record["tests"])
    staff = final_record(app, client, course.teacher, sub_id)
    assert staff["feedback"] == "full" and staff["tests"][1]["message"] == \
        "Greet the name from the URL"
    clock.set(DUE)
    after = final_record(app, client, course.ann, sub_id)
    assert after["feedback"] == "full" and after["tests"][1]["message"]


def test_no_feedback_shows_only_that_it_was_graded_until_the_learners_due_time(
        app, client, make_user, clock, fake_runner):
    course = make_course(client, make_user, feedback_before_due="none")
    assert extend(client, course.teacher, "bob", due_at=DUE + timedelta(days=2)).status_code == 200
    fake_runner.script = [passing_result(100), passing_result(100)]
    anns = submit(client, course.ann, course=COURSE).get_json()["id"]
    bobs = submit(client, course.bob, course=COURSE).get_json()["id"]
    hidden = final_record(app, client, course.ann, anns)
    assert (hidden["status"], hidden["score"], hidden["credited_score"], hidden["tests"]) == (
        "graded", None, None, [])
    listed = client.get(f"/api/v1/submissions?course={COURSE}", headers=course.ann).get_json()
    assert [(r["status"], r["score"]) for r in listed["submissions"]] == [("graded", None)]
    detail = client.get(f"/api/v1/challenges/{SLUG}", headers=course.ann).get_json()
    assert [(s["status"], s["score"]) for s in detail["submissions"]] == [("graded", None)]
    overview = client.get("/api/v1/challenges", headers=course.ann).get_json()["challenges"]
    assert overview[0]["best_score"] is None
    view = client.get(f"/api/v1/courses/{COURSE}", headers=course.ann).get_json()
    assert (view["assignments"][0]["credited_score"],
            view["assignments"][0]["feedback_hidden"]) == (None, True)
    assert client.get("/api/v1/leaderboard").get_json()["rows"] == []
    assert final_record(app, client, course.teacher, anns)["status"] == "passed"
    vocabulary = {s["name"]: s for s in client.get("/api/v1/statuses").get_json()["statuses"]}
    assert vocabulary["graded"]["final"] is True
    # ann's due time passes; bob's extension still holds his back
    clock.set(DUE + timedelta(hours=1))
    assert final_record(app, client, course.ann, anns)["score"] == 100
    assert final_record(app, client, course.bob, bobs)["status"] == "graded"
    assert [r["name"] for r in client.get("/api/v1/leaderboard").get_json()["rows"]] == ["ann"]
    clock.set(DUE + timedelta(days=2))
    assert final_record(app, client, course.bob, bobs)["status"] == "passed"


def test_a_practice_record_has_no_course_and_full_credit(app, client, student, fake_runner):
    sub_id = submit(client, student).get_json()["id"]
    record = final_record(app, client, student, sub_id)
    assert (record["course"], record["credit"], record["late_hours"],
            record["credited_score"], record["feedback"]) == (None, 100, 0, 100, "full")


def test_course_pages_of_the_api_need_a_token(client, course):
    assert client.get("/api/v1/courses").status_code == 401
    assert client.post("/api/v1/courses/join", json={"code": course.code}).status_code == 401
    assert client.get(f"/api/v1/courses/{COURSE}/gradebook").status_code == 401


def test_a_learner_sees_upcoming_and_past_assignments_with_their_scores(
        app, client, make_user, clock, fake_runner):
    course = make_course(client, make_user, closes_at=DUE + timedelta(hours=1))
    fake_runner.script = [passing_result(90)]
    wait_final(app, submit(client, course.ann, course=COURSE).get_json()["id"])
    clock.set(T0 + timedelta(days=3))
    view = client.get(f"/api/v1/courses/{COURSE}", headers=course.ann).get_json()
    row = view["assignments"][0]
    assert (row["state"], row["best_score"], row["credited_score"], row["credit"]) == (
        "closed", 90, 90, 100)
