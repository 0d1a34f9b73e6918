"""Quiz attempts as course work, with a fixed clock: credit on time and late, the course's
refusals, continued attempts, feedback held back until the due time, and the standings and
gradebook adding each assignment's best code score and best quiz score."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from course_support import COURSE, DUE, T0, assign, final_record, make_course
from quiz_server_support import NO_FILL, RIGHT, WRONG, answer, load_quizzes
from server_support import passing_result, submit, wait_final

from grader.extensions import db
from grader.models import Submission

QUIZ = "quiz-routes"  # 100 code points and a 12-point quiz
ONLY = "quiz-demo"  # a quiz-only challenge of 22 points


@pytest.fixture(autouse=True)
def quizzes_loaded(app):
    load_quizzes(app)


@pytest.fixture
def course(client, make_user, clock):
    """flask-101 assigning quiz-routes, due at DUE, late credit 80 % then 50 %."""
    return make_course(client, make_user, challenge=QUIZ)


def graded(response) -> dict:
    assert response.status_code in (200, 201), response.get_json()
    body = response.get_json()
    assert body["status"] not in ("queued", "running"), body
    return body


def stored_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Submission.id)))


def test_an_attempt_on_time_counts_for_the_course_at_full_credit(client, course, clock):
    clock.set(DUE - timedelta(minutes=1))
    record = graded(answer(client, course.ann, NO_FILL, course=COURSE))
    assert (record["kind"], record["course"], record["late_hours"], record["credit"]) == (
        "quiz", COURSE, 0, 100)
    assert record["submitted_at"] == "2026-11-21T11:59:00.000Z"
    assert (record["score"], record["max_score"], record["credited_score"]) == (9, 12, 9)


@pytest.mark.parametrize("hours_late,credit", [(2, 80), (30, 50), (73, 0)])
def test_a_late_attempt_takes_the_late_credit(client, course, clock, hours_late, credit):
    clock.set(DUE + timedelta(hours=hours_late))
    record = graded(answer(client, course.ann, NO_FILL, course=COURSE))
    assert record["late_hours"] == pytest.approx(hours_late)
    assert (record["score"], record["credit"], record["credited_score"]) == (
        9, credit, 9 * credit // 100)


def test_the_course_refuses_an_attempt_when_closed_not_open_or_capped(app, client, make_user,
                                                                      clock):
    course = make_course(client, make_user, challenge=QUIZ, closes_at=DUE + timedelta(hours=1),
                         max_submissions=1)
    clock.set(DUE + timedelta(hours=1, seconds=1))
    closed = answer(client, course.ann, NO_FILL, course=COURSE)
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "closed"
    assert stored_count(app) == 0
    practice = graded(answer(client, course.ann, NO_FILL))
    assert (practice["course"], practice["credit"]) == (None, 100)

    clock.set(T0)
    assert assign(client, course.teacher, challenge=QUIZ,
                  opens_at=T0 + timedelta(hours=1)).status_code == 200
    early = answer(client, course.ann, NO_FILL, course=COURSE)
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "not_open"

    clock.set(T0 + timedelta(hours=2))
    graded(answer(client, course.ann, NO_FILL, course=COURSE))
    capped = answer(client, course.ann, NO_FILL, course=COURSE)
    assert capped.status_code == 409 and capped.get_json()["error"]["code"] == "submission_limit"


def test_only_members_answer_for_a_course_and_only_what_it_assigns(client, course, make_user):
    _, carol = make_user("carol")
    outsider = answer(client, carol, NO_FILL, course=COURSE)
    assert outsider.status_code == 403
    unassigned = answer(client, course.ann, {"abort-status": [0]}, slug=ONLY, course=COURSE)
    assert unassigned.status_code == 404


def test_a_continued_attempt_stays_in_its_course_and_takes_its_new_answers_credit(
        client, course, clock):
    clock.set(DUE - timedelta(hours=1))
    first = graded(answer(client, course.ann, {"route-decorator": [0]}, course=COURSE))
    assert (first["credit"], first["credited_score"]) == (100, 2)
    clock.set(DUE + timedelta(hours=2))
    # Leaving out `course` continues the attempt where it began.
    more = graded(answer(client, course.ann, {"route-parts": [0, 1]}, attempt=first["id"]))
    assert (more["id"], more["course"], more["score"]) == (first["id"], COURSE, 4)
    assert (more["credit"], more["credited_score"]) == (80, 3)
    elsewhere = answer(client, course.ann, {"missing-route": {"status": 404}},
                       attempt=first["id"], course="another-course")
    assert elsewhere.status_code == 409
    assert elsewhere.get_json()["error"]["code"] == "attempt_course"
    practice = graded(answer(client, course.ann, {"route-decorator": [0]}))
    into_course = answer(client, course.ann, {"route-parts": [0, 1]}, attempt=practice["id"],
                         course=COURSE)
    assert into_course.status_code == 409
    assert into_course.get_json()["error"]["code"] == "attempt_course"


def test_a_continued_attempt_is_refused_once_the_course_closed(client, make_user, clock):
    course = make_course(client, make_user, challenge=QUIZ, closes_at=DUE)
    clock.set(DUE - timedelta(hours=1))
    first = graded(answer(client, course.ann, {"route-decorator": [0]}, course=COURSE))
    clock.set(DUE + timedelta(minutes=1))
    refused = answer(client, course.ann, {"route-parts": [0, 1]}, attempt=first["id"])
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "closed"


def test_no_feedback_before_the_due_time_hides_the_attempts_result(app, client, make_user,
                                                                   clock):
    course = make_course(client, make_user, challenge=QUIZ, feedback_before_due="none")
    hidden = graded(answer(client, course.ann, NO_FILL, course=COURSE))
    assert (hidden["status"], hidden["score"], hidden["credited_score"], hidden["feedback"]) == (
        "graded", None, None, "none")
    assert hidden["questions"] == [] and hidden["feedback_until"] == "2026-11-21T12:00:00.000Z"
    view = client.get(f"/api/v1/challenges/{QUIZ}/quiz", headers=course.ann).get_json()
    assert [(a["status"], a["score"]) for a in view["attempts"]] == [("graded", None)]
    assert view["best_score"] is None
    staff = final_record(app, client, course.teacher, hidden["id"])
    assert (staff["status"], staff["score"], len(staff["questions"])) == ("failed", 9, 5)
    clock.set(DUE)
    shown = final_record(app, client, course.ann, hidden["id"])
    assert (shown["feedback"], shown["score"], len(shown["questions"])) == ("full", 9, 5)


def test_score_feedback_shows_each_questions_points_without_why(app, client, make_user, clock):
    course = make_course(client, make_user, challenge=QUIZ, feedback_before_due="score")
    record = graded(answer(client, course.ann, {**WRONG, "dynamic-rule": {}}, course=COURSE))
    assert (record["feedback"], record["score"]) == ("score", 1)
    by_id = {q["id"]: q for q in record["questions"]}
    assert by_id["route-decorator"]["status"] == "wrong"
    assert all(q["explanation"] == "" for q in record["questions"])
    assert [c["feedback"] for c in by_id["route-decorator"]["choices"]] == [""]
    assert by_id["route-decorator"]["choices"][0]["correct"] is False
    assert by_id["missing-route"]["parts"]["status"] == {"given": 200, "expected": None,
                                                         "correct": False}
    clock.set(DUE)
    full = final_record(app, client, course.ann, record["id"])
    by_id = {q["id"]: q for q in full["questions"]}
    assert by_id["route-decorator"]["explanation"] == "A route maps a URL rule to a view function."
    assert by_id["route-decorator"]["choices"][0]["feedback"]
    assert by_id["missing-route"]["parts"]["status"]["expected"] == 404


def test_standings_and_gradebook_add_the_best_code_and_the_best_quiz_score(
        app, client, course, clock, fake_runner):
    fake_runner.script = [passing_result(100), passing_result(60), passing_result(100)]
    clock.set(DUE - timedelta(hours=1))
    wait_final(app, submit(client, course.ann, slug=QUIZ, course=COURSE).get_json()["id"])
    wait_final(app, submit(client, course.bob, slug=QUIZ, course=COURSE).get_json()["id"])
    graded(answer(client, course.bob, RIGHT, course=COURSE))  # bob: 60 + 12
    graded(answer(client, course.ann, WRONG, course=COURSE))  # 1 point on time
    clock.set(DUE + timedelta(hours=2))
    late = graded(answer(client, course.ann, NO_FILL, course=COURSE))  # 9 at 80 %: 7
    graded(answer(client, course.ann, WRONG))  # practice never counts in the course

    board = client.get(f"/api/v1/courses/{COURSE}/leaderboard", headers=course.ann).get_json()
    assert [(r["name"], r["score"], r["solved"]) for r in board["rows"]] == [
        ("ann", 107, 0), ("bob", 72, 0)]

    book = client.get(f"/api/v1/courses/{COURSE}/gradebook", headers=course.teacher).get_json()
    assert book["max_total"] == 112
    assert (book["assignments"][0]["quiz_points"], book["assignments"][0]["total_points"]) == (
        12, 112)
    ann = next(r for r in book["rows"] if r["user"] == "ann")
    cell = ann["cells"][0]
    assert (cell["credited_score"], cell["code_credited_score"], cell["quiz_credited_score"]) == (
        107, 100, 7)
    assert (cell["quiz_submission"], cell["state"], cell["credit"], ann["total"]) == (
        late["id"], "late", 80, 107)
    assert ann["late"] == [QUIZ] and ann["scores"] == {QUIZ: 107}
    text = client.get(f"/api/v1/courses/{COURSE}/gradebook?format=csv", headers=course.teacher)
    table = list(csv.reader(io.StringIO(text.get_data(as_text=True))))
    assert table == [["username", QUIZ, "total", "late", "missing"],
                     ["ann", "107", "107", QUIZ, ""], ["bob", "72", "72", "", ""]]

    mine = client.get(f"/api/v1/courses/{COURSE}", headers=course.ann).get_json()
    row = mine["assignments"][0]
    assert (row["credited_score"], row["code_credited_score"], row["quiz_credited_score"],
            row["best_quiz_submission"], row["total_points"]) == (107, 100, 7, late["id"], 112)


def test_solved_in_a_course_needs_both_parts_at_full_credited_points(app, client, course, clock,
                                                                     fake_runner):
    clock.set(DUE - timedelta(hours=1))
    wait_final(app, submit(client, course.ann, slug=QUIZ, course=COURSE).get_json()["id"])
    board = client.get(f"/api/v1/courses/{COURSE}/leaderboard", headers=course.ann).get_json()
    assert [(r["score"], r["solved"]) for r in board["rows"]] == [(100, 0)]
    graded(answer(client, course.ann, RIGHT, course=COURSE))
    board = client.get(f"/api/v1/courses/{COURSE}/leaderboard", headers=course.ann).get_json()
    assert [(r["score"], r["solved"]) for r in board["rows"]] == [(112, 1)]


def test_a_quiz_only_challenge_is_an_assignment_like_any_other(client, make_user, clock):
    course = make_course(client, make_user, challenge=ONLY)
    clock.set(DUE + timedelta(hours=30))  # 50 %
    record = graded(answer(client, course.ann, {"abort-status": [0], "safe-methods": [0, 1]},
                           slug=ONLY, course=COURSE))
    assert (record["course"], record["credit"]) == (COURSE, 50)
    book = client.get(f"/api/v1/courses/{COURSE}/gradebook", headers=course.teacher).get_json()
    cell = book["rows"][0]["cells"][0]
    assert (cell["credited_score"], cell["code_credited_score"], cell["quiz_submission"]) == (
        record["credited_score"], None, record["id"])
    assert record["credited_score"] == record["score"] * 50 // 100 and record["score"] > 0
    assert book["max_total"] == 22


# -- the pages ---------------------------------------------------------------------------------

CHOICES_FORM = {"mode": "all", "q.route-decorator": ["0"], "q.route-parts": ["0", "1"]}  # 4


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_the_quiz_page_opened_from_a_course_answers_for_it_with_its_credit(app, client, course,
                                                                         clock, auth):
    auth.login("ann")
    clock.set(DUE + timedelta(hours=2))
    html = page(client, f"/challenges/{QUIZ}/quiz?course={COURSE}")
    assert 'id="assignment"' in html and "late work counts 80% up to 24.0 h late" in html
    assert f'name="course" value="{COURSE}"' in html
    assert f"/challenges/{QUIZ}?course={COURSE}" in html  # back to the challenge, in the course
    plain = page(client, f"/challenges/{QUIZ}/quiz")
    assert 'id="assignment"' not in plain and 'name="course"' not in plain
    sent = client.post(f"/challenges/{QUIZ}/quiz", data={**CHOICES_FORM, "course": COURSE})
    assert sent.status_code == 302
    attempt_id = int(sent.headers["Location"].rsplit("/", 1)[1])
    wait_final(app, attempt_id)
    with app.app_context():
        stored = db.session.get(Submission, attempt_id)
        assert (stored.course.slug, stored.credit, stored.credited_score) == (COURSE, 80, 3)
    html = page(client, sent.headers["Location"])
    assert 'id="credit-line"' in html and "80% credit: <strong>3</strong> (2.0 h late)" in html
    listed = page(client, f"/challenges/{QUIZ}/quiz?course={COURSE}")
    assert "→ 3 at 80%" in listed and "Your credited score: <strong>3</strong> / 112" in listed


def test_the_quiz_page_of_a_closed_course_says_so_and_answers_as_practice(app, client, make_user,
                                                                        clock, auth):
    make_course(client, make_user, challenge=QUIZ, closes_at=DUE)
    clock.set(DUE + timedelta(minutes=1))
    auth.login("ann")
    html = page(client, f"/challenges/{QUIZ}/quiz?course={COURSE}")
    assert "The course takes no more submissions" in html and 'name="course"' not in html
    refused = client.post(f"/challenges/{QUIZ}/quiz", data={**CHOICES_FORM, "course": COURSE})
    assert refused.status_code == 302 and f"course={COURSE}" in refused.headers["Location"]
    assert "closed in" in page(client, refused.headers["Location"])
    assert stored_count(app) == 0


def test_the_attempt_page_holds_back_what_the_course_hides(app, client, make_user, clock, auth):
    make_course(client, make_user, challenge=QUIZ, feedback_before_due="none")
    auth.login("ann")
    sent = client.post(f"/challenges/{QUIZ}/quiz", data={**CHOICES_FORM, "course": COURSE})
    attempt_id = int(sent.headers["Location"].rsplit("/", 1)[1])
    wait_final(app, attempt_id)
    html = page(client, sent.headers["Location"])
    assert "only that this attempt was graded" in html and 'data-status="graded"' in html
    assert "A route maps a URL rule" not in html and "its result is shown after the due" in html
    assert "hidden until due" in page(client, f"/challenges/{QUIZ}/quiz")
    clock.set(DUE)
    html = page(client, sent.headers["Location"])
    assert "A route maps a URL rule to a view function." in html and 'id="quiz-score">4' in html


def test_the_gradebook_page_counts_the_quiz_in_each_assignments_points(client, course, auth,
                                                                       clock):
    clock.set(DUE - timedelta(hours=1))
    record = graded(answer(client, course.ann, NO_FILL, course=COURSE))
    auth.login("teach")
    html = page(client, f"/courses/{COURSE}/gradebook")
    assert '<div class="muted">/ 112</div>' in html
    assert f'/submissions/{record["id"]}">9</a>' in html
