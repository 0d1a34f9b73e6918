"""The server-rendered pages: every page renders, forms work, bad input is explained."""

from __future__ import annotations

import io
import re

import pytest
from server_support import PASSWORD, SOLUTION, STARTER, passing_result, wait_final, zip_of
from flask import Flask
from flask.testing import FlaskClient

from grader.extensions import db
from grader.models import ServiceState, Submission

SLUG = "hello-routes"


def page(client: FlaskClient, path: str, status: int = 200) -> str:
    """GET a page, check its status, return its HTML."""
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code,
                                            response.get_data(as_text=True)[:400])
    return response.get_data(as_text=True)


def submit_editor(client: FlaskClient, text: str, slug: str = SLUG):
    """Send the editor's file like the challenge page's form does."""
    return client.post(f"/challenges/{slug}/submit", data={"file:app.py": text})


@pytest.mark.parametrize("path", ["/challenges/", f"/challenges/{SLUG}", "/leaderboard/",
                                  "/auth/login", "/auth/register"])
def test_public_pages_render_for_visitors(client: FlaskClient, path: str) -> None:
    html = page(client, path)
    assert "<title>" in html and "Flask Concept Grader" in html
    assert "Sign in" in html


def test_front_page_leads_to_the_challenges(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/challenges/")


@pytest.mark.parametrize("path", ["/submissions/", "/profile/", "/teach/", "/admin/users"])
def test_private_pages_send_visitors_to_the_login(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_signed_in_pages_render(client: FlaskClient, auth, fake_runner) -> None:
    auth.login()
    submit_editor(client, SOLUTION.decode())
    for path in ["/challenges/", f"/challenges/{SLUG}", "/leaderboard/", "/submissions/",
                 "/submissions/1", "/profile/", "/teach/", f"/teach/challenges/{SLUG}",
                 f"/teach/challenges/{SLUG}/edit", f"/teach/challenges/{SLUG}/submissions"]:
        html = page(client, path)
        assert "teach" in html, path  # the signed-in name is in the header


def test_statement_is_rendered_from_markdown_and_sanitized(client: FlaskClient) -> None:
    html = page(client, f"/challenges/{SLUG}")
    statement = html[html.index('id="statement"'):html.index("</article>")]
    assert "<h1>Hello, routes</h1>" not in statement  # the page title already says it
    assert "<code>create_app()</code>" in statement
    assert "<li><code>GET /</code> answering <code>Hello, Flask!</code></li>" in statement
    assert "<script" not in statement


def test_assets_are_served_locally_never_from_a_cdn(client: FlaskClient) -> None:
    html = page(client, f"/challenges/{SLUG}")
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert "/static/vendor/codemirror/codemirror.js" in sources
    assert "/static/vendor/codemirror/mode/python.js" in sources
    assert all(src.startswith("/static/") for src in sources), sources
    live = page(client, "/leaderboard/")
    assert "/static/vendor/socket.io/socket.io.min.js" in live


def test_challenge_page_offers_editor_upload_and_starter(client: FlaskClient, auth) -> None:
    auth.login()
    html = page(client, f"/challenges/{SLUG}")
    assert 'name="file:app.py"' in html
    assert "def create_app():" in html  # the starter is in the editor
    assert 'type="file"' in html and 'multiple' in html
    assert f'/challenges/{SLUG}/starter.zip' in html
    assert "My past submissions" in html


def test_starter_download_is_a_zip_of_the_starter(client: FlaskClient) -> None:
    response = client.get(f"/challenges/{SLUG}/starter.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert f"{SLUG}/app.py" in names


def test_unknown_challenge_is_a_404_page_without_a_traceback(client: FlaskClient) -> None:
    html = page(client, "/challenges/no-such-thing", 404)
    assert "was not found" in html
    assert "Traceback" not in html


def test_concept_filter_keeps_matching_challenges(client: FlaskClient) -> None:
    assert 'data-slug="hello-routes"' in page(client, "/challenges/?concept=routing.dynamic")
    html = page(client, "/challenges/?concept=templates.render")
    assert 'data-slug="hello-routes"' not in html
    assert "No challenge teaches" in html


def test_register_signs_in_and_rejects_a_taken_name(client: FlaskClient) -> None:
    form = {"username": "bea", "password": "long-enough-1", "confirm": "long-enough-1"}
    response = client.post("/auth/register", data=form)
    assert response.status_code == 302
    assert "bea" in page(client, "/challenges/")
    client.post("/auth/logout")
    again = client.post("/auth/register", data=form)
    assert again.status_code == 422
    assert "already taken" in again.get_data(as_text=True)


@pytest.mark.parametrize("form, message", [
    ({"username": "x", "password": "long-enough-1", "confirm": "long-enough-1"}, "between 2"),
    ({"username": "bea", "password": "short", "confirm": "short"}, "at least 8"),
    ({"username": "bea", "password": "long-enough-1", "confirm": "other-one-22"}, "differ"),
    ({"username": "b e", "password": "long-enough-1", "confirm": "long-enough-1"}, "letters"),
])
def test_register_explains_bad_input(client: FlaskClient, form: dict, message: str) -> None:
    response = client.post("/auth/register", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_login_with_a_wrong_password_says_so(client: FlaskClient) -> None:
    response = client.post("/auth/login", data={"username": "teach", "password": "nope-nope"})
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True)


def test_login_follows_only_local_next_urls(client: FlaskClient) -> None:
    data = {"username": "teach", "password": PASSWORD}
    response = client.post("/auth/login?next=https://evil.example/", data=data)
    assert response.headers["Location"].endswith("/challenges/")
    client.post("/auth/logout")
    response = client.post("/auth/login?next=/profile/", data=data)
    assert response.headers["Location"].endswith("/profile/")


def test_logout_is_a_post(client: FlaskClient, auth) -> None:
    auth.login()
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/profile/").status_code == 302


def test_editor_submission_is_stored_and_opens_its_page(app: Flask, client: FlaskClient,
                                                        make_user, fake_runner) -> None:
    make_user("ann")
    client.post("/auth/login", data={"username": "ann", "password": PASSWORD})
    response = submit_editor(client, SOLUTION.decode().replace("\n", "\r\n"))
    assert response.status_code == 302
    match = re.search(r"/submissions/(\d+)$", response.headers["Location"])
    assert match
    html = page(client, response.headers["Location"])
    assert f'data-submission-id="{match.group(1)}"' in html
    assert "Hello, Flask!" in html  # the submitted code is shown to its owner
    with app.app_context():
        stored = db.session.get(Submission, int(match.group(1)))
        assert stored.user.username == "ann"
    wait_final(app, int(match.group(1)))
    # CRLF from the browser's textarea is stored as the learner wrote it: LF
    assert fake_runner.calls[0]["app.py"] == SOLUTION


def test_upload_replaces_the_editor_and_accepts_a_zip(app: Flask, client: FlaskClient, auth,
                                                      fake_runner) -> None:
    auth.login()
    archive = zip_of({"project/app.py": SOLUTION, "project/README.md": b"notes"})
    response = client.post(f"/challenges/{SLUG}/submit",
                           data={"file:app.py": STARTER.decode(),
                                 "uploads": [(io.BytesIO(archive), "project.zip")]},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    html = page(client, response.headers["Location"])
    # The zip's top folder is dropped; the file outside the manifest is named, not lost silently.
    assert "Ignored files not part of this challenge: README.md" in html
    assert "Hello, Flask!" in html  # the zip's app.py replaced the editor's starter
    wait_final(app, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert fake_runner.calls[0] == {"app.py": SOLUTION}


@pytest.mark.parametrize("upload, status, message", [
    ((b"print(1)", "notes.py"), 422, "is not part of this challenge"),
    ((b"this is not a zip", "app.zip"), 400, "could not be read as a .zip"),
])
def test_bad_uploads_are_explained_and_nothing_is_stored(
        app: Flask, client: FlaskClient, auth, upload, status, message) -> None:
    auth.login()
    edited = "def create_app():\n    return 'my unsaved edit'\n"
    content, name = upload
    response = client.post(f"/challenges/{SLUG}/submit",
                           data={"file:app.py": edited, "uploads": [(io.BytesIO(content), name)]},
                           content_type="multipart/form-data")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert message in html
    assert "my unsaved edit" in html  # the learner's editor content is kept
    with app.app_context():
        assert db.session.query(Submission).count() == 0


def test_submitting_requires_an_account(client: FlaskClient) -> None:
    response = submit_editor(client, SOLUTION.decode())
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_rate_limit_answers_429_with_retry_after(app: Flask, client: FlaskClient, auth,
                                                 fake_runner) -> None:
    app.config["GRADER_RATE_LIMIT"] = (1, 60)
    auth.login()
    assert submit_editor(client, SOLUTION.decode()).status_code == 302
    response = submit_editor(client, SOLUTION.decode())
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many submissions" in response.get_data(as_text=True)


def test_oversized_upload_is_a_413_page(app: Flask, client: FlaskClient, auth) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1024
    auth.login()
    response = client.post(f"/challenges/{SLUG}/submit",
                           data={"uploads": [(io.BytesIO(b"x" * 4096), "app.py")]},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "too large" in html and "Nothing was stored" in html


def test_best_score_shows_in_the_list_and_past_submissions(app: Flask, client: FlaskClient,
                                                           auth, fake_runner) -> None:
    fake_runner.script = [passing_result(40)]
    auth.login()
    location = submit_editor(client, SOLUTION.decode()).headers["Location"]
    wait_final(app, int(location.rsplit("/", 1)[1]))
    listing = page(client, "/challenges/")
    assert "40 / 100" in listing
    html = page(client, f"/challenges/{SLUG}")
    assert "Failed" in html and "40 / 100" in html
    submission = page(client, location)
    assert "The index greets Flask" in submission
    assert "Greet the name from the URL" in submission


def test_grading_paused_banner(app: Flask, client: FlaskClient) -> None:
    assert "grading-paused" not in page(client, "/challenges/")
    with app.app_context():
        db.session.add(ServiceState(key="grading", value={
            "paused": True, "message": "The Docker engine is unavailable"}))
        db.session.commit()
    html = page(client, "/challenges/")
    assert 'id="grading-paused"' in html
    assert "Grading is paused" in html and "Docker engine is unavailable" in html


def test_error_500_page_hides_the_exception(app: Flask, client: FlaskClient, monkeypatch) -> None:
    from grader.services import leaderboard

    def broken() -> list:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(leaderboard, "standings", broken)
    app.logger.disabled = True  # the traceback goes to the log, which this test keeps quiet
    response = client.get("/leaderboard/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html
    assert "secret internal detail" not in html and "Traceback" not in html


def test_api_paths_keep_the_json_error_shape(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"]


def test_editor_resumes_from_the_latest_submission(client: FlaskClient, auth,
                                                   fake_runner) -> None:
    auth.login()
    submit_editor(client, STARTER.decode() + "\n# my second try\n")
    html = page(client, f"/challenges/{SLUG}")
    assert "# my second try" in html and 'id="resumed"' in html
    fresh = page(client, f"/challenges/{SLUG}?starter=1")
    assert "# my second try" not in fresh.split('id="past-submissions"')[0]


def test_leaderboard_page_ranks_graded_learners(app: Flask, client: FlaskClient, make_user,
                                                fake_runner) -> None:
    make_user("ann")
    client.post("/auth/login", data={"username": "ann", "password": PASSWORD})
    location = submit_editor(client, SOLUTION.decode()).headers["Location"]
    wait_final(app, int(location.rsplit("/", 1)[1]))
    html = page(client, "/leaderboard/")
    row = re.search(r'<tr data-name="ann" class="me">(.*?)</tr>', html, re.DOTALL)
    assert row, "the signed-in learner's row is highlighted"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.DOTALL)
    assert [c.strip() for c in cells[:4]] == ["1", "ann", "100", "1"]
    client.post("/auth/logout")
    assert 'data-name="ann"' in page(client, "/leaderboard/")  # the board is public


def test_the_challenges_list_shows_the_two_tracks(app: Flask, client: FlaskClient,
                                                 tmp_path) -> None:
    """Core challenges come first under their heading, then the Extensions track."""
    import shutil

    from server_support import HELLO

    from grader.services import versions

    folder = tmp_path / "forms-first"
    shutil.copytree(HELLO, folder)
    manifest = (folder / "challenge.toml").read_text()
    (folder / "challenge.toml").write_text(
        manifest.replace('slug = "hello-routes"', 'slug = "forms-first"')
        .replace('title = "Hello, routes"', 'title = "Forms first"')
        .replace("order = 1", 'order = 0\ntrack = "extensions"'))
    with app.app_context():
        versions.import_folder(folder, validate=False)
    html = page(client, "/challenges/")
    core, extensions = html.index('id="track-core"'), html.index('id="track-extensions"')
    assert core < html.index("Hello, routes") < extensions < html.index("Forms first")
    assert "Core track: Flask itself" in html and "Extensions track" in html
    listed = client.get("/api/v1/challenges?track=extensions").get_json()["challenges"]
    assert [c["slug"] for c in listed] == ["forms-first"] and listed[0]["track"] == "extensions"
