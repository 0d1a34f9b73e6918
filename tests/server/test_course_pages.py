"""Course pages through the test client: forms, times in the course's zone, who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from course_support import COURSE, DUE, SLUG, T0, extend, make_course
from server_support import SOLUTION, AuthActions, passing_result, wait_final

from grader.extensions import db
from grader.models import Assignment, Course, Submission


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


@pytest.fixture
def course(client, make_user, clock):
    made = make_course(client, make_user, time_zone="Europe/Paris")
    return made


def test_a_teacher_creates_a_course_and_a_learner_joins_it_from_the_pages(app, client, auth,
                                                                         make_user):
    auth.login("teach")
    created = client.post("/courses/new", data={"slug": "web-1", "title": "Web one",
                                                 "time_zone": "Europe/Paris"})
    assert created.status_code == 302 and created.headers["Location"].endswith("/courses/web-1")
    with app.app_context():
        code = db.session.scalar(db.select(Course.join_code).where(Course.slug == "web-1"))
    html = page(client, "/courses/web-1")
    assert code in html and "times in Europe/Paris" in html
    auth.logout()
    make_user("ann")
    auth.login("ann")
    prefilled = page(client, f"/courses/join?code={code}")
    assert f'value="{code}"' in prefilled
    wrong = client.post("/courses/join", data={"code": "WRONG234"})
    assert wrong.status_code == 404 and "No course has the join code" in wrong.get_data(
        as_text=True)
    joined = client.post("/courses/join", data={"code": code.lower()})
    assert joined.status_code == 302
    html = page(client, "/courses/web-1")
    assert code not in html  # the code is the staff's to hand out
    assert "Web one" in page(client, "/courses/")


def test_learners_cannot_create_courses_or_reach_staff_pages(client, course, auth):
    auth.login("ann")
    assert client.post("/courses/new", data={"slug": "mine", "title": "Mine",
                                             "time_zone": "UTC"}).status_code == 403
    for path in (f"/courses/{COURSE}/gradebook", f"/courses/{COURSE}/assignments",
                 f"/courses/{COURSE}/gradebook.csv"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/courses/{COURSE}/code").status_code == 403
    auth.logout()
    auth.login("teach")
    assert client.get("/courses/no-such-course").status_code == 404


def test_the_course_page_lists_upcoming_and_past_work_with_my_scores(app, client, course, auth,
                                                                      clock, fake_runner):
    auth.login("ann")
    fake_runner.script = [passing_result(90)]
    clock.set(DUE + timedelta(hours=2))
    response = client.post(f"/challenges/{SLUG}/submit",
                           data={"file:app.py": SOLUTION.decode(), "course": COURSE})
    assert response.status_code == 302
    sub_id = int(response.headers["Location"].rsplit("/", 1)[1])
    wait_final(app, sub_id)
    html = page(client, f"/courses/{COURSE}")
    past = html.split('id="past"')[1]
    assert f'data-challenge="{SLUG}" data-state="late"' in past
    assert "<strong>72</strong> / 100" in past and "(90 at 80%)" in past
    # 2026-11-21 12:00 UTC is 13:00 in Paris
    assert "Sat 21 Nov 2026, 13:00 CET" in html
    shown = page(client, f"/submissions/{sub_id}")
    assert "graded 90/100, 80% credit: <strong>72</strong> (2.0 h late)" in shown
    assert "Flask 101" in shown


def test_the_challenge_page_opened_from_a_course_shows_its_due_time(client, course, auth,
                                                                    clock):
    auth.login("ann")
    html = page(client, f"/challenges/{SLUG}?course={COURSE}")
    assert 'id="assignment"' in html and "Sat 21 Nov 2026, 13:00 CET" in html
    assert f'name="course" value="{COURSE}"' in html
    plain = page(client, f"/challenges/{SLUG}")
    assert 'id="assignment"' not in plain and 'name="course"' not in plain


def test_a_closed_course_refuses_from_the_page_and_keeps_the_edits(client, make_user, auth,
                                                                  clock):
    make_course(client, make_user, closes_at=DUE)
    clock.set(DUE + timedelta(minutes=1))
    auth.login("ann")
    response = client.post(f"/challenges/{SLUG}/submit",
                           data={"file:app.py": "# my edits\n", "course": COURSE})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "closed in" in html and "# my edits" in html
    with client.application.app_context():
        assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_the_editor_takes_times_in_the_course_zone(app, client, course, auth):
    auth.login("teach")
    html = page(client, f"/courses/{COURSE}/assignments?challenge={SLUG}")
    assert 'value="2026-11-21T13:00"' in html  # the stored due time, in Paris
    response = client.post(f"/courses/{COURSE}/assignments", data={
        "challenge": SLUG, "opens_at": "2026-11-19T09:00", "due_at": "2026-11-25T18:00",
        "closes_at": "", "late_policy-0-until_hours": "12", "late_policy-0-credit": "70",
        "max_submissions": "5", "feedback_before_due": "score"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(db.select(Assignment))
        assert stored.due_at.isoformat() == "2026-11-25T17:00:00"  # 18:00 CET is 17:00 UTC
        assert stored.late_policy == [{"until_hours": 12, "credit": 70}]
        assert (stored.max_submissions, stored.feedback_before_due) == (5, "score")


@pytest.mark.parametrize("fields,message", [
    ({"due_at": "2026-03-29T02:30"}, "does not exist in Europe/Paris"),
    ({"due_at": "2026-11-18T09:00"}, "opens_at must come before due_at"),
    ({"late_policy-0-until_hours": "12"}, "credit must be a whole number"),
])
def test_the_editor_explains_bad_input_and_changes_nothing(app, client, course, auth, fields,
                                                           message):
    auth.login("teach")
    data = {"challenge": SLUG, "opens_at": "2026-11-19T09:00", "due_at": "2026-11-25T18:00",
            "feedback_before_due": "full", **fields}
    response = client.post(f"/courses/{COURSE}/assignments", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Assignment)).due_at == DUE


def test_assistants_see_the_editor_but_cannot_save(client, course, make_user, auth):
    make_user("tina")
    client.put(f"/api/v1/courses/{COURSE}/members/tina", headers=course.teacher,
               json={"role": "assistant"})
    auth.login("tina")
    html = page(client, f"/courses/{COURSE}/assignments")
    assert "the course's teachers change them" in html and 'id="assignment-form"' not in html
    assert client.post(f"/courses/{COURSE}/assignments",
                       data={"challenge": SLUG}).status_code == 403
    assert "gradebook" in page(client, f"/courses/{COURSE}/gradebook")


def test_extensions_from_the_gradebook(app, client, course, auth):
    auth.login("teach")
    html = page(client, f"/courses/{COURSE}/gradebook")
    assert 'data-user="ann"' in html and 'data-user="bob"' in html
    response = client.post(f"/courses/{COURSE}/extensions", data={
        "username": "ann", "challenge": SLUG, "due_at": "2026-11-23T09:00", "closes_at": ""})
    assert response.status_code == 302
    html = page(client, f"/courses/{COURSE}/gradebook")
    assert "extended to Mon 23 Nov 2026, 09:00 CET" in html
    refused = client.post(f"/courses/{COURSE}/extensions", data={
        "username": "bob", "challenge": SLUG, "due_at": "2026-11-20T09:00"})
    assert refused.status_code == 422 and "earlier" in refused.get_data(as_text=True)
    csv_text = page(client, f"/courses/{COURSE}/gradebook.csv")
    assert csv_text.splitlines()[0] == f"username,{SLUG},total,late,missing"


def test_hidden_feedback_on_the_submission_pages(app, client, make_user, auth, clock,
                                                 fake_runner):
    make_course(client, make_user, feedback_before_due="none")
    auth.login("ann")
    response = client.post(f"/challenges/{SLUG}/submit",
                           data={"file:app.py": SOLUTION.decode(), "course": COURSE})
    sub_id = int(response.headers["Location"].rsplit("/", 1)[1])
    wait_final(app, sub_id)
    html = page(client, f"/submissions/{sub_id}")
    assert 'data-status="graded"' in html and "only that this was graded" in html
    assert "The index greets Flask" not in html  # no test rows
    assert "hidden until due" in page(client, "/submissions/")
    clock.set(DUE)
    html = page(client, f"/submissions/{sub_id}")
    assert 'data-status="passed"' in html and "The index greets Flask" in html


def test_the_course_leaderboard_page(client, course, auth):
    auth.login("bob")
    html = page(client, f"/courses/{COURSE}/leaderboard")
    assert f'data-course="{COURSE}"' in html and "Flask 101: leaderboard" in html


def test_roster_and_settings_from_the_course_page(app, client, course, auth, make_user):
    make_user("tina")
    auth.login("teach")
    assert client.post(f"/courses/{COURSE}/members", data={"username": "tina",
                                                           "role": "assistant"}).status_code == 302
    html = page(client, f"/courses/{COURSE}")
    assert 'data-member="tina"' in html
    client.post(f"/courses/{COURSE}/settings", data={"title": "Flask 101, spring",
                                                     "time_zone": "UTC"})
    html = page(client, f"/courses/{COURSE}")
    assert "Flask 101, spring" in html and "times in UTC" in html
    client.post(f"/courses/{COURSE}/code")
    with app.app_context():
        assert db.session.scalar(db.select(Course.join_code)) != course.code


def test_a_learner_with_an_extension_sees_their_own_date(client, course, auth):
    extend(client, course.teacher, "ann", due_at=T0 + timedelta(days=4))
    auth.login("ann")
    html = page(client, f"/courses/{COURSE}")
    assert "Tue 24 Nov 2026, 13:00 CET" in html and "extended for you" in html
    AuthActions(client).logout()
    auth.login("bob")
    assert "extended for you" not in page(client, f"/courses/{COURSE}")
