"""Rate limits (Flask-Limiter): sign-in, registration, tokens and submissions, under concurrency."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import requests
from processes import create_user, server_env, web_server
from server_support import SOLUTION, submit, zip_of

PASSWORD = "correct-horse-9"


def test_refused_uploads_count_against_the_submission_limit(app, client, student, fake_runner):
    app.config["GRADER_RATE_LIMIT"] = (2, 60)
    refused = submit(client, student, content=b"x", name="notes.txt")  # not a challenge file
    assert refused.status_code == 422
    assert submit(client, student).status_code == 202
    third = submit(client, student)
    assert third.status_code == 429 and int(third.headers["Retry-After"]) >= 1
    assert "at most 2 every 60 seconds" in third.get_json()["error"]["message"]


def test_sign_in_attempts_are_limited_per_username(app, client):
    app.config["GRADER_LOGIN_RATE_LIMIT"] = (3, 300)
    for _ in range(3):
        wrong = client.post("/auth/login", data={"username": "teach", "password": "nope"})
        assert wrong.status_code == 401
    limited = client.post("/auth/login", data={"username": "Teach", "password": "nope"})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    page = limited.get_data(as_text=True)
    assert "Too many sign-in attempts for this account" in page and "Try again in" in page
    # Another account from the same address still has its own budget.
    other = client.post("/auth/login", data={"username": "someone", "password": "nope"})
    assert other.status_code == 401


def test_token_requests_are_limited_per_address(app, client):
    app.config["GRADER_LOGIN_RATE_LIMIT"] = (2, 60)  # the address gets three times as many
    answers = [client.post("/api/v1/tokens", json={"username": f"user{n}", "password": "x"})
               for n in range(7)]
    assert [a.status_code for a in answers] == [401] * 6 + [429]
    error = answers[-1].get_json()["error"]
    assert error["code"] == "rate_limited" and "token requests" in error["message"]
    assert int(answers[-1].headers["Retry-After"]) >= 1


def test_registrations_are_limited_per_address(app, client):
    app.config["GRADER_REGISTER_RATE_LIMIT"] = (2, 3600)
    for n in range(2):
        made = client.post("/auth/register", data={"username": f"new{n}", "password": PASSWORD,
                                                   "confirm": PASSWORD})
        assert made.status_code == 302
        client.post("/auth/logout")
    refused = client.post("/auth/register", data={"username": "new9", "password": PASSWORD,
                                                  "confirm": PASSWORD})
    assert refused.status_code == 429
    assert "Too many new accounts from this address" in refused.get_data(as_text=True)


def test_the_submission_limit_holds_under_25_parallel_requests(tmp_path):
    """A real server: 25 submissions at once against a limit of 10 accept exactly 10."""
    env = server_env(tmp_path / "instance", GRADER_RATE_LIMIT="10/600")
    with web_server(env) as (base, _, _):
        create_user(env, "ann", PASSWORD)
        token = requests.post(f"{base}/api/v1/tokens", json={"username": "ann",
                                                             "password": PASSWORD},
                              timeout=10).json()["token"]

        def one(_: int) -> int:
            return requests.post(f"{base}/api/v1/submissions",
                                 headers={"Authorization": f"Bearer {token}"},
                                 data={"challenge": "hello-routes"},
                                 files={"app.py": ("app.py", SOLUTION)}, timeout=60).status_code

        with ThreadPoolExecutor(25) as pool:
            statuses = list(pool.map(one, range(25)))
        assert sorted(statuses) == [202] * 10 + [429] * 15
        mine = requests.get(f"{base}/api/v1/submissions", timeout=10,
                            headers={"Authorization": f"Bearer {token}"}).json()["submissions"]
        assert len(mine) == 10


def test_a_zip_of_just_the_package_folder_is_accepted(app, client, student, fake_runner,
                                                     tmp_path):
    """The challenge's files live in `greeting/`: a zip of that folder keeps its name."""
    import shutil

    from server_support import HELLO

    from grader.services import versions

    folder = tmp_path / "package-routes"
    shutil.copytree(HELLO, folder)
    manifest = (folder / "challenge.toml").read_text()
    (folder / "challenge.toml").write_text(
        manifest.replace('slug = "hello-routes"', 'slug = "package-routes"')
        .replace('files = ["app.py"]', 'files = ["app.py", "greeting/**"]'))
    with app.app_context():
        versions.import_folder(folder, validate=False)
    archive = zip_of({"greeting/__init__.py": b"", "greeting/views.py": b"x = 1\n"})
    response = client.post("/api/v1/submissions", headers=student, data={
        "challenge": "package-routes", "archive": (io.BytesIO(archive), "greeting.zip")},
        content_type="multipart/form-data")
    assert response.status_code == 202, response.get_json()
    files = client.get(f"/api/v1/submissions/{response.get_json()['id']}/files",
                       headers=student).get_json()["files"]
    assert sorted(files) == ["greeting/__init__.py", "greeting/views.py"]


def test_a_huge_zip_of_a_project_is_refused_with_a_short_message(client, student):
    many = zip_of({f"project/cache/{n}.txt": b"" for n in range(2000)} | {"project/app.py": SOLUTION})
    response = client.post("/api/v1/submissions", headers=student, data={
        "challenge": "hello-routes", "archive": (io.BytesIO(many), "project.zip")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert "lists 2001 files and folders; at most 300" in message and len(message) < 300


def test_the_note_on_ignored_files_stays_short(app, client, student, fake_runner):
    extra = {f"project/notes/{n}.md": b"n" for n in range(40)}
    archive = zip_of({"project/app.py": SOLUTION, **extra})
    response = client.post("/api/v1/submissions", headers=student, data={
        "challenge": "hello-routes", "archive": (io.BytesIO(archive), "project.zip")},
        content_type="multipart/form-data")
    assert response.status_code == 202
    message = response.get_json()["message"]
    assert message.startswith("Ignored files not part of this challenge: notes/0.md")
    assert message.endswith("and 30 more") and len(message) < 400


def test_a_form_of_too_many_parts_is_not_called_too_large(client, student):
    parts = {f"file{n}.py": (io.BytesIO(b"x"), f"file{n}.py") for n in range(1100)}
    response = client.post("/api/v1/submissions", headers=student,
                           data={"challenge": "hello-routes", **parts},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "too_many_parts" and "at most 64 files" in error["message"]


def test_a_json_submission_is_415_not_a_missing_challenge(client, student):
    response = client.post("/api/v1/submissions", headers=student,
                           json={"challenge": "hello-routes", "files": {"app.py": "x"}})
    assert response.status_code == 415
    error = response.get_json()["error"]
    assert error["code"] == "unsupported_media_type" and "multipart/form-data" in error["message"]
