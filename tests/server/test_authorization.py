"""Authorization: students get 403 on every teacher route; nobody reads another learner's work."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from server_support import AuthActions, submit, wait_final

TEACHER_API = {"api.upload_challenge", "api.edit_challenge", "api.regrade_challenge",
               "api.challenge_scores", "api.challenge_stats", "api.regrade_submission",
               "api.create_course",
               "api.get_similarity", "api.start_similarity", "api.get_similarity_pair",
               "api.put_override", "api.delete_override", "api.get_audit", "api.get_quiz_stats"}


def url_for_rule(rule, submission_id: int) -> str:
    values = {"slug": "hello-routes", "submission_id": submission_id, "username": "ann",
              "token_id": 1, "a": submission_id, "b": submission_id}
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<{name}>", str(values[name])).replace(
            f"<int:{name}>", str(values[name]))
    return path


@pytest.fixture
def anns_submission(app, client, make_user, fake_runner) -> int:
    _, ann = make_user("ann")
    sub_id = submit(client, ann).get_json()["id"]
    wait_final(app, sub_id)
    return sub_id


def test_teacher_api_is_marked_teacher_only_in_openapi(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    teacher_ops = {(p, m) for p, ops in spec["paths"].items() for m, op in ops.items()
                   if "403" in op["responses"] and op["responses"]["403"]["description"]
                   == "Teachers only"}
    assert len(teacher_ops) == len(TEACHER_API)


def test_student_gets_403_on_every_teacher_api(app, client, make_user, anns_submission):
    _, bob = make_user("bob")
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in TEACHER_API:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url_for_rule(rule, anns_submission), method=method,
                                   headers=bob)
            assert response.status_code == 403, (rule.rule, method)
            assert response.get_json()["error"]["code"] == "forbidden"
            checked += 1
    assert checked == len(TEACHER_API)


def test_student_gets_403_on_every_teacher_page(app, client, make_user, anns_submission):
    make_user("bob")
    AuthActions(client).login("bob")
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(("teacher.", "admin.")):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url_for_rule(rule, anns_submission), method=method)
            assert response.status_code == 403, (rule.rule, method)
            checked += 1
    assert checked >= 10


def test_teacher_pages_need_login(app, client, anns_submission):
    """A signed-out visitor of a teacher page is sent to the login page, which brings them back."""
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("teacher.") and "GET" in rule.methods:
            path = url_for_rule(rule, anns_submission)
            response = client.get(path)
            assert response.status_code == 302, rule.rule
            location = urlsplit(response.headers["Location"])
            assert location.path == "/auth/login", rule.rule
            assert parse_qs(location.query)["next"] == [path], rule.rule
            checked += 1
    assert checked >= 5


def test_another_learner_cannot_read_my_submission(app, client, make_user, anns_submission):
    _, bob = make_user("bob")
    for path in (f"/api/v1/submissions/{anns_submission}",
                 f"/api/v1/submissions/{anns_submission}/files"):
        response = client.get(path, headers=bob)
        assert response.status_code == 403
        assert "Hello" not in response.get_data(as_text=True)
    listed = client.get("/api/v1/submissions", headers=bob).get_json()["submissions"]
    assert listed == []
    everyone = client.get("/api/v1/submissions?all=1", headers=bob)
    assert everyone.status_code == 403


def test_another_learner_cannot_open_my_submission_pages(app, client, make_user,
                                                         anns_submission):
    make_user("bob")
    AuthActions(client).login("bob")
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("submissions.") and "submission_id" in rule.arguments:
            response = client.get(url_for_rule(rule, anns_submission))
            # It exists, so it is forbidden (as in the API), not "not found".
            assert response.status_code == 403, rule.rule
            assert "Hello, Flask!" not in response.get_data(as_text=True)
            checked += 1
    assert checked >= 1


def test_owner_and_teacher_can_read(app, client, make_user, teacher, anns_submission):
    _, ann = make_user("ann")
    for headers in (ann, teacher):
        files = client.get(f"/api/v1/submissions/{anns_submission}/files",
                           headers=headers).get_json()["files"]
        assert "Hello, Flask!" in files["app.py"]


def test_hidden_challenge_is_invisible_to_students(app, client, student, teacher):
    assert client.patch("/api/v1/challenges/hello-routes", json={"published": False},
                        headers=teacher).status_code == 200
    assert client.get("/api/v1/challenges/hello-routes", headers=student).status_code == 404
    assert client.get("/api/v1/challenges", headers=student).get_json()["challenges"] == []
    assert client.get("/api/v1/challenges/hello-routes", headers=teacher).status_code == 200
    assert submit(client, student).status_code == 404


def test_only_admins_change_roles(app, client, make_user):
    from grader.services import ServiceError, accounts

    make_user("bob")
    with app.app_context():
        teacher = accounts.by_username("teach")
        with pytest.raises(ServiceError) as refused:
            accounts.set_role(teacher, "bob", "teacher")
        assert refused.value.status == 403
        admin = accounts.register("root", "correct-horse-9", role="admin")
        assert accounts.set_role(admin, "bob", "teacher").role == "teacher"
