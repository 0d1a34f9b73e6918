"""Who may do what on the pages: CSRF on every form, teacher and admin pages, private code."""

from __future__ import annotations

import io
import re

import pytest
from browser_support import csrf_token, write_challenge, zip_folder
from server_support import PASSWORD, SOLUTION, passing_result, wait_final
from flask import Flask
from flask.testing import FlaskClient

from grader.extensions import db
from grader.models import ApiToken, Challenge, User
from grader.services import tokens

SLUG = "hello-routes"
TEACHER_GETS = ["/teach/", f"/teach/challenges/{SLUG}", f"/teach/challenges/{SLUG}/edit",
                f"/teach/challenges/{SLUG}/submissions", f"/teach/challenges/{SLUG}/scores.csv"]
TEACHER_POSTS = ["/teach/upload", f"/teach/challenges/{SLUG}/publish",
                 f"/teach/challenges/{SLUG}/hide", f"/teach/challenges/{SLUG}/edit",
                 f"/teach/challenges/{SLUG}/regrade", "/teach/submissions/1/regrade"]


def sign_in(client: FlaskClient, username: str) -> None:
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302


def submit(client: FlaskClient, text: str = SOLUTION.decode()) -> int:
    response = client.post(f"/challenges/{SLUG}/submit", data={"file:app.py": text})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def csrf_app(app: Flask) -> Flask:
    """The same app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


CSRF_POSTS = [
    ("/auth/register", {"username": "newbie", "password": "long-enough-1",
                        "confirm": "long-enough-1"}),
    (f"/challenges/{SLUG}/submit", {"file:app.py": "x = 1\n"}),
    ("/profile/tokens", {"name": "laptop"}),
    ("/profile/tokens/1/revoke", {}),
    (f"/teach/challenges/{SLUG}/hide", {}),
    (f"/teach/challenges/{SLUG}/edit", {"title": "Changed", "difficulty": "2"}),
    (f"/teach/challenges/{SLUG}/regrade", {}),
    ("/admin/users/teach/role", {"role": "student"}),
    ("/auth/logout", {}),
]


def test_posts_without_a_csrf_token_are_refused_with_400(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    refused = client.post("/auth/login", data={"username": "teach", "password": PASSWORD})
    assert refused.status_code == 400
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    client.post("/auth/login", data={"username": "teach", "password": PASSWORD,
                                      "csrf_token": token})
    for path, data in CSRF_POSTS:
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        body = response.get_data(as_text=True)
        assert "The form was refused" in body and "Traceback" not in body
    assert client.get("/profile/").status_code == 200  # still signed in: logout was refused
    with csrf_app.app_context():
        assert db.session.query(ApiToken).count() == 0
        assert db.session.query(User).count() == 1
        challenge = db.session.scalar(db.select(Challenge))
        assert challenge.title == "Hello, routes" and challenge.published
        assert db.session.scalar(db.select(User.role).where(User.username == "teach")) == "teacher"


def test_forms_work_with_their_csrf_token(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"username": "teach", "password": PASSWORD,
                                                 "csrf_token": token})
    assert response.status_code == 302
    token = csrf_token(client.get("/profile/").get_data(as_text=True))
    created = client.post("/profile/tokens", data={"name": "laptop", "csrf_token": token})
    assert created.status_code == 201


def test_students_get_403_on_every_teacher_and_admin_page_and_action(
        app: Flask, client: FlaskClient, make_user) -> None:
    make_user("ann")
    sign_in(client, "ann")
    for path in TEACHER_GETS + ["/admin/users"]:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Not allowed" in response.get_data(as_text=True)
    for path in TEACHER_POSTS + ["/admin/users/teach/role"]:
        response = client.post(path, data={"title": "Hacked", "difficulty": "3",
                                           "role": "student"})
        assert response.status_code == 403, path
    with app.app_context():
        challenge = db.session.scalar(db.select(Challenge))
        assert challenge.title == "Hello, routes" and challenge.published
        assert db.session.scalar(db.select(User.role).where(User.username == "teach")) == "teacher"


def test_teachers_are_not_admins(client: FlaskClient) -> None:
    sign_in(client, "teach")
    assert client.get("/admin/users").status_code == 403


def test_no_student_sees_another_students_code_or_results(app: Flask, make_user,
                                                         fake_runner) -> None:
    make_user("ann")
    make_user("bob")
    ann, bob = app.test_client(), app.test_client()
    sign_in(ann, "ann")
    sign_in(bob, "bob")
    secret = SOLUTION.decode() + "\n# ann's secret comment\n"
    submission_id = submit(ann, secret)
    wait_final(app, submission_id)
    assert "ann&#39;s secret comment" in ann.get(f"/submissions/{submission_id}").get_data(
        as_text=True)
    for path in (f"/submissions/{submission_id}", f"/api/v1/submissions/{submission_id}"):
        response = bob.get(path)
        assert response.status_code == 403
        assert "secret comment" not in response.get_data(as_text=True)
    assert "secret comment" not in bob.get("/submissions/").get_data(as_text=True)
    challenge_page = bob.get(f"/challenges/{SLUG}").get_data(as_text=True)
    assert "secret comment" not in challenge_page
    assert f"/submissions/{submission_id}" not in challenge_page


def test_teachers_see_every_submission_with_its_code(app: Flask, make_user,
                                                     fake_runner) -> None:
    make_user("ann")
    ann = app.test_client()
    sign_in(ann, "ann")
    submission_id = submit(ann, SOLUTION.decode() + "\n# written by ann\n")
    wait_final(app, submission_id)
    teacher = app.test_client()
    sign_in(teacher, "teach")
    html = teacher.get(f"/teach/challenges/{SLUG}/submissions").get_data(as_text=True)
    assert "written by ann" in html and ">ann<" in html
    assert f'data-submission-id="{submission_id}"' in html
    own_page = ann.get(f"/submissions/{submission_id}").get_data(as_text=True)
    assert f"/teach/submissions/{submission_id}/regrade" not in own_page
    teacher_page = teacher.get(f"/submissions/{submission_id}").get_data(as_text=True)
    assert f"/teach/submissions/{submission_id}/regrade" in teacher_page
    assert "written by ann" in teacher_page
    state = teacher.get(f"/api/v1/submissions/{submission_id}").get_json()
    assert state["user"] == "ann" and state["status"] == "passed"


def test_teacher_regrades_one_and_all(app: Flask, client: FlaskClient, make_user,
                                      fake_runner) -> None:
    make_user("ann")
    learner = app.test_client()
    sign_in(learner, "ann")
    first = submit(learner)
    wait_final(app, first)
    fake_runner.script = [passing_result(40), passing_result(100)]
    sign_in(client, "teach")
    response = client.post(f"/teach/submissions/{first}/regrade")
    assert response.headers["Location"].endswith(f"/submissions/{first}")
    assert wait_final(app, first).score == 40
    response = client.post(f"/teach/challenges/{SLUG}/regrade", follow_redirects=True)
    assert "1 submission(s) queued for regrading" in response.get_data(as_text=True)
    assert wait_final(app, first).score == 100
    assert len(fake_runner.calls) == 3


def test_teacher_hides_and_publishes(app: Flask, client: FlaskClient, make_user) -> None:
    make_user("ann")
    sign_in(client, "teach")
    client.post(f"/teach/challenges/{SLUG}/hide")
    student = app.test_client()
    sign_in(student, "ann")
    assert 'data-slug="hello-routes"' not in student.get("/challenges/").get_data(as_text=True)
    assert student.get(f"/challenges/{SLUG}").status_code == 404
    assert "hidden" in client.get("/challenges/").get_data(as_text=True)
    client.post(f"/teach/challenges/{SLUG}/publish")
    assert student.get(f"/challenges/{SLUG}").status_code == 200


def test_teacher_edits_metadata_and_bad_values_are_explained(app: Flask,
                                                            client: FlaskClient) -> None:
    sign_in(client, "teach")
    bad = client.post(f"/teach/challenges/{SLUG}/edit",
                      data={"title": "", "concepts": "not a concept!", "difficulty": "2"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "This field is required" in html and "is not a concept id" in html
    good = client.post(f"/teach/challenges/{SLUG}/edit",
                       data={"title": "Routes, renamed", "concepts": "routing.route, core.app",
                             "difficulty": "3", "order": "5"})
    assert good.status_code == 302
    with app.app_context():
        challenge = db.session.scalar(db.select(Challenge))
        assert (challenge.title, challenge.concepts, challenge.difficulty, challenge.order) == \
            ("Routes, renamed", ["routing.route", "core.app"], 3, 5)


def test_teacher_statistics_and_csv_export(app: Flask, client: FlaskClient, make_user,
                                           fake_runner) -> None:
    make_user("ann")
    learner = app.test_client()
    sign_in(learner, "ann")
    fake_runner.script = [passing_result(40), passing_result(100)]
    wait_final(app, submit(learner))
    wait_final(app, submit(learner))
    sign_in(client, "teach")
    html = client.get(f"/teach/challenges/{SLUG}").get_data(as_text=True)
    stats = html[html.index('id="stats"'):html.index('id="most-failed"')]
    assert re.search(r'<div class="value">2</div><div class="label">graded attempts', stats)
    assert "50%" in stats and ">70" in stats  # pass rate, median of 40 and 100
    assert "A dynamic route greets by name" in html  # the test that failed most
    response = client.get(f"/teach/challenges/{SLUG}/scores.csv")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("username,best_score")
    assert lines[1].startswith("ann,100,100,2,")


def checked(app: Flask, client: FlaskClient, slug: str, timeout: float = 60.0) -> str:
    """The teacher page of a challenge's latest upload once a worker has checked it."""
    import time

    from grader.models import ChallengeVersion

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            state = db.session.scalar(db.select(ChallengeVersion.state).join(
                Challenge, Challenge.id == ChallengeVersion.challenge_id).where(
                Challenge.slug == slug).order_by(ChallengeVersion.number.desc()))
        if state == "done":
            return client.get(f"/teach/challenges/{slug}").get_data(as_text=True)
        time.sleep(0.1)
    raise AssertionError(f"the upload of {slug} was not checked within {timeout} s")


def test_teacher_upload_shows_the_validation_report(app: Flask, client: FlaskClient,
                                                    tmp_path) -> None:
    archive = zip_folder(write_challenge(tmp_path))
    sign_in(client, "teach")
    response = client.post("/teach/upload", data={
        "archive": (io.BytesIO(archive), "greeting-routes.zip"), "publish": "y"},
        content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:500]
    assert "a grading worker checks it in the sandbox now" in html
    html = checked(app, client, "greeting-routes")
    assert "✓ Passed" in html and "It is published." in html
    report = html[html.index('id="check-rows"'):]
    for folder in ("solution", "starter", "no-json"):
        assert folder in report
    assert "✗" not in report[:report.index("</table>")]


@pytest.mark.parametrize("content, message", [
    (b"not a zip at all", "could not be read as a .zip"),
    (None, "Only .zip files"),
])
def test_teacher_upload_of_a_bad_archive_is_explained(client: FlaskClient, content,
                                                      message) -> None:
    sign_in(client, "teach")
    upload = (io.BytesIO(content), "c.zip") if content else (io.BytesIO(b"x"), "c.txt")
    response = client.post("/teach/upload", data={"archive": upload},
                           content_type="multipart/form-data")
    assert response.status_code == 400  # a bad request, as the API answers it (bad_archive)
    assert message in response.get_data(as_text=True)


def test_api_tokens_are_shown_once_and_revocable(app: Flask, client: FlaskClient) -> None:
    sign_in(client, "teach")
    created = client.post("/profile/tokens", data={"name": "laptop"})
    assert created.status_code == 201
    html = created.get_data(as_text=True)
    secret = re.search(r'id="new-token-secret">([^<]+)<', html).group(1)
    with app.app_context():
        assert tokens.authenticate(secret).username == "teach"
        token_id = db.session.scalar(db.select(ApiToken.id))
    later = client.get("/profile/").get_data(as_text=True)
    assert secret not in later and "laptop" in later and secret[:10] in later
    assert client.post(f"/profile/tokens/{token_id}/revoke").status_code == 302
    assert "revoked" in client.get("/profile/").get_data(as_text=True)
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401


def test_users_cannot_revoke_other_peoples_tokens(app: Flask, client: FlaskClient,
                                                  make_user) -> None:
    make_user("ann")  # makes a token for ann
    sign_in(client, "teach")
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    assert client.post(f"/profile/tokens/{token_id}/revoke").status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None


def test_admin_promotes_a_student_to_teacher(app: Flask, client: FlaskClient,
                                             make_user) -> None:
    make_user("boss", "admin")
    make_user("ann")
    sign_in(client, "boss")
    assert "ann" in client.get("/admin/users").get_data(as_text=True)
    response = client.post("/admin/users/ann/role", data={"role": "teacher"},
                           follow_redirects=True)
    assert "ann is now teacher" in response.get_data(as_text=True)
    ann = app.test_client()
    sign_in(ann, "ann")
    assert ann.get("/teach/").status_code == 200
    bad = client.post("/admin/users/boss/role", data={"role": "student"}, follow_redirects=True)
    assert "cannot demote themselves" in bad.get_data(as_text=True)
    assert client.post("/admin/users/nobody/role", data={"role": "teacher"}).status_code == 404


def test_teacher_upload_can_stay_hidden(app: Flask, client: FlaskClient, tmp_path) -> None:
    archive = zip_folder(write_challenge(tmp_path, slug="quiet-one", title="Quiet one"))
    sign_in(client, "teach")
    response = client.post("/teach/upload", data={
        "archive": (io.BytesIO(archive), "quiet-one.zip")},
        content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert "It is hidden: publish it when you are ready." in checked(app, client, "quiet-one")
    with app.app_context():
        challenge = db.session.scalar(db.select(Challenge).where(Challenge.slug == "quiet-one"))
        assert challenge.current_version.valid and not challenge.published


def test_failed_validation_keeps_it_unpublishable(app: Flask, client: FlaskClient,
                                                  tmp_path) -> None:
    folder = write_challenge(tmp_path, slug="leaky-one", title="Leaky one")
    mutant = folder / "mutants" / "no-json" / "app.py"
    mutant.write_text((folder / "solution" / "app.py").read_text())  # a mutant nobody catches
    sign_in(client, "teach")
    response = client.post("/teach/upload", data={
        "archive": (io.BytesIO(zip_folder(folder)), "leaky-one.zip"), "publish": "y"},
        content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    html = checked(app, client, "leaky-one")
    assert "the challenge stays hidden until a version passes" in html
    assert "the hidden tests do not catch its mistake" in html
    assert "Publishable once a version passes validation" in html
    refused = client.post("/teach/challenges/leaky-one/publish", follow_redirects=True)
    assert "no version that passed validation" in refused.get_data(as_text=True)
