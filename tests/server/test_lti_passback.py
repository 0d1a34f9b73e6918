"""Grade passback and roster sync against a real LTI 1.3 platform on loopback: scores after a
final grading and after a regrade, a platform that is down (retried with backoff, nothing lost),
a refused score on the teacher's course page and sent again, and the NRPS roster sync."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from lti_platform import INSTRUCTOR, LEARNER, MEMBERSHIPS, SCORE, TEACHING_ASSISTANT, Person
from lti_support import ANN, launch, passback_row, wait_for
from server_support import passing_result, submit, wait_final

from grader.extensions import db
from grader.lti.models import FAILED, PENDING, SENT, LtiAccount, LtiPlatform
from grader.models import Membership, iso
from grader.services import accounts, tokens

COURSE = "lti-1-flask-101"
HELLO = {"challenge": "hello-routes"}
TEACHER = Person("lms-user-tom", "Tom Baker", "tom@school.test", [INSTRUCTOR])


def bearer(app: Flask, username: str) -> dict[str, str]:
    """API headers for an account a launch made."""
    with app.app_context():
        plaintext, _ = tokens.create(accounts.by_username(username), "tests")
    return {"Authorization": f"Bearer {plaintext}"}


def launched_learner(app: Flask, client: FlaskClient, lms: Any) -> dict[str, str]:
    """Ann launches the assignment from the LMS; her API headers."""
    assert launch(client, lms, ANN, custom=HELLO).status_code == 302
    return bearer(app, "ann.lee")


def graded(app: Flask, client: FlaskClient, headers: dict[str, str]) -> int:
    """A submission for the course's assignment, graded to the end; its id."""
    answer = submit(client, headers, course=COURSE)
    assert answer.status_code == 202, answer.get_json()
    submission_id = answer.get_json()["id"]
    wait_final(app, submission_id)
    return submission_id


def test_a_final_grading_posts_the_credited_score_to_the_line_item(app, client, platform,
                                                                   fake_runner):
    fake_runner.script = [passing_result(70)]
    headers = launched_learner(app, client, platform)
    graded(app, client, headers)
    scores = wait_for(lambda: platform.scores_for("link-1"), what="the score at the platform")
    assert len(scores) == 1
    score = scores[0]
    assert (score["scoreGiven"], score["scoreMaximum"]) == (70, 100)
    assert score["userId"] == ANN.subject
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert platform.token_requests[-1]["scopes"] == [SCORE]
    assert platform.scores[-1]["scopes"] == [SCORE]
    row = wait_for(lambda: (r := passback_row(app)) is not None and r.state == SENT and r,
                   what="the row marked sent")
    assert (row.attempts, row.last_error) == (1, "")
    assert score["timestamp"] == iso(row.scored_at)  # when the score was reached
    with app.app_context():
        assert db.session.scalar(db.select(LtiPlatform)).last_passback_at is not None


def test_a_regrade_posts_the_new_score_again(app, client, platform, fake_runner, teacher):
    fake_runner.script = [passing_result(40), passing_result(100)]
    headers = launched_learner(app, client, platform)
    submission_id = graded(app, client, headers)
    wait_for(lambda: platform.scores_for("link-1"), what="the first score")
    answer = client.post(f"/api/v1/submissions/{submission_id}/regrade", headers=teacher)
    assert answer.status_code == 202, answer.get_json()
    wait_final(app, submission_id)
    scores = wait_for(lambda: len(s := platform.scores_for("link-1")) == 2 and s,
                      what="the regraded score")
    assert [s["scoreGiven"] for s in scores] == [40, 100]
    assert scores[1]["timestamp"] >= scores[0]["timestamp"]


def test_staff_gradings_are_not_passed_back(app, client, platform, fake_runner):
    assert launch(client, platform, TEACHER, custom=HELLO).status_code == 302
    graded(app, client, bearer(app, "tom.baker"))
    assert passback_row(app) is None
    assert platform.scores == []


def test_a_platform_down_during_passback_is_retried_with_backoff_and_loses_nothing(
        app, client, platform, fake_runner):
    app.config["GRADER_LTI_RETRY_S"] = 0.4
    fake_runner.script = [passing_result(60)]
    headers = launched_learner(app, client, platform)
    platform.stop()
    graded(app, client, headers)  # grading finishes whatever the platform does
    first = wait_for(lambda: (r := passback_row(app)) is not None and r.attempts >= 1 and r,
                     what="a first failed attempt")
    assert first.state == PENDING
    assert "the platform did not answer" in first.last_error
    assert (first.next_attempt_at - first.last_attempt_at).total_seconds() >= 0.39
    second = wait_for(lambda: (r := passback_row(app)).attempts >= 2 and r, what="a retry")
    assert second.state == PENDING
    # Exponential: the wait after the second failure is twice the first one.
    assert (second.next_attempt_at - second.last_attempt_at).total_seconds() >= 0.79
    assert platform.scores == []
    platform.start()  # back on the same port
    scores = wait_for(lambda: platform.scores_for("link-1"), timeout=30, what="the late score")
    assert [s["scoreGiven"] for s in scores] == [60]
    row = wait_for(lambda: (r := passback_row(app)).state == SENT and r, what="sent")
    assert row.attempts >= 3 and row.last_error == ""


def test_a_refused_score_shows_on_the_course_page_and_can_be_sent_again(app, client, platform,
                                                                         fake_runner):
    fake_runner.script = [passing_result(80)]
    headers = launched_learner(app, client, platform)
    platform.score_status = 404  # the line item was deleted in the LMS
    graded(app, client, headers)
    row = wait_for(lambda: (r := passback_row(app)) is not None and r.state == FAILED and r,
                   what="the passback failed")
    assert row.attempts == 1  # a 404 cannot be fixed by retrying
    assert "answered 404" in row.last_error and "the line item is gone" in row.last_error
    teacher = app.test_client()
    assert launch(teacher, platform, TEACHER, custom=HELLO).status_code == 302
    page = teacher.get(f"/courses/{COURSE}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'data-passback="{row.id}" data-state="failed" data-user="ann.lee"' in text
    assert "answered 404" in text and "80 / 100" in text
    assert client.post(f"/lti/passbacks/{row.id}/send").status_code == 403  # not for learners
    platform.score_status = 200
    again = teacher.post(f"/lti/passbacks/{row.id}/send")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/{COURSE}#lti")
    scores = wait_for(lambda: platform.scores_for("link-1"), what="the score sent again")
    assert [s["scoreGiven"] for s in scores] == [80]
    wait_for(lambda: passback_row(app).state == SENT, what="sent")
    page = teacher.get(f"/courses/{COURSE}").get_data(as_text=True)
    assert "The LMS has every score." in page


def test_the_roster_sync_brings_the_lms_members_in(app, client, platform):
    bob = Person("lms-user-bob", "Bob Stone", "bob@school.test", [LEARNER])
    tia = Person("lms-user-tia", "Tia Ward", "tia@school.test", [TEACHING_ASSISTANT])
    assert launch(client, platform, ANN, custom=HELLO).status_code == 302
    teacher = app.test_client()
    assert launch(teacher, platform, TEACHER, custom=HELLO).status_code == 302
    platform.members["flask-101"] = [TEACHER, bob, tia]
    platform.left["flask-101"] = [ANN.subject]
    answer = teacher.post(f"/lti/courses/{COURSE}/roster", follow_redirects=True)
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    assert "Roster synced with the LMS: 4 members, 2 added, 0 changed role, 1 removed." in text
    assert platform.roster_requests[-1]["context"] == "flask-101"
    assert "application/vnd.ims.lti-nrps.v2.membershipcontainer+json" in \
        platform.roster_requests[-1]["accept"]
    assert platform.token_requests[-1]["scopes"] == [MEMBERSHIPS]
    with app.app_context():
        roles = {m.user.username: m.role for m in db.session.scalars(db.select(Membership))}
        assert roles == {"tom.baker": "teacher", "bob.stone": "student", "tia.ward": "assistant"}
        bob_account = db.session.scalar(db.select(LtiAccount).where(
            LtiAccount.subject == bob.subject))
        assert (bob_account.name, bob_account.email) == ("Bob Stone", "bob@school.test")
    assert "last synced" in teacher.get(f"/courses/{COURSE}").get_data(as_text=True)


def test_learners_cannot_sync_the_roster(app, client, platform):
    assert launch(client, platform, ANN, custom=HELLO).status_code == 302
    assert client.post(f"/lti/courses/{COURSE}/roster").status_code == 403
    assert platform.roster_requests == []


def test_a_roster_sync_with_the_platform_down_says_so_and_changes_nothing(app, client, platform):
    assert launch(client, platform, TEACHER, custom=HELLO).status_code == 302
    platform.stop()
    answer = client.post(f"/lti/courses/{COURSE}/roster", follow_redirects=True)
    assert answer.status_code == 200
    assert "Roster not synced: The LMS did not answer the roster request" in \
        answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Membership.id))) == 1


def test_a_quiz_attempt_adds_its_credited_score_to_the_code_score_posted(app, client, platform,
                                                                        fake_runner):
    from quiz_server_support import NO_FILL, answer, load_quizzes

    load_quizzes(app)
    fake_runner.script = [passing_result(70)]
    assert launch(client, platform, ANN, custom={"challenge": "quiz-routes"}).status_code == 302
    headers = bearer(app, "ann.lee")
    code = submit(client, headers, slug="quiz-routes", course=COURSE)
    assert code.status_code == 202, code.get_json()
    wait_final(app, code.get_json()["id"])
    wait_for(lambda: platform.scores_for("link-1"), what="the code score")
    attempt = answer(client, headers, NO_FILL, course=COURSE)
    assert attempt.status_code == 201, attempt.get_json()
    scores = wait_for(lambda: len(s := platform.scores_for("link-1")) == 2 and s,
                      what="the code and quiz score")
    # the challenge is out of its 100 code points and its 12 quiz points
    assert [(s["scoreGiven"], s["scoreMaximum"]) for s in scores] == [(70, 112), (79, 112)]
