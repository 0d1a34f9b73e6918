"""HTTP API v1: tokens, challenges, submissions, errors, limits, OpenAPI."""

from __future__ import annotations

import io

import pytest
from server_support import MUTANT, SOLUTION, submit, wait_final, zip_of


def test_token_from_password(app, client):
    from grader.models import iso
    from grader.services import accounts

    response = client.post("/api/v1/tokens", json={"username": "teach", "password":
                                                   "correct-horse-9", "name": "laptop"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["token"].startswith("gdr_") and body["prefix"] == body["token"][:10]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    with app.app_context():
        created = iso(accounts.by_username("teach").created_at)
    assert created.endswith("Z")  # ISO 8601 with a zone, as every time in the API
    assert me.get_json() == {"username": "teach", "role": "teacher", "created_at": created}


def test_token_wrong_password_is_401(client):
    response = client.post("/api/v1/tokens", json={"username": "teach", "password": "nope"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"


@pytest.mark.parametrize("header,code", [
    ("Bearer gdr_not-a-real-token", "invalid_token"),
    ("Basic abc", "unauthorized"),
    ("", "unauthorized"),
])
def test_bad_tokens_are_401(client, header, code):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/submissions", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == code


def test_revoked_token_is_401(client, student):
    tokens = client.get("/api/v1/tokens", headers=student).get_json()["tokens"]
    assert client.delete(f"/api/v1/tokens/{tokens[0]['id']}", headers=student).status_code == 200
    response = client.get("/api/v1/me", headers=student)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_revoked"


def test_expired_token_is_401(app, client):
    from datetime import timedelta

    from grader.extensions import db
    from grader.models import utcnow
    from grader.services import accounts, tokens

    with app.app_context():
        plaintext, token = tokens.create(accounts.by_username("teach"), "old", days=1)
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_expired"


def test_tokens_are_stored_hashed(app, client):
    from grader.extensions import db
    from grader.models import ApiToken

    token = client.post("/api/v1/tokens", json={"username": "teach",
                                                "password": "correct-horse-9"}).get_json()["token"]
    with app.app_context():
        stored = db.session.scalars(db.select(ApiToken)).all()
    assert stored and all(token not in (row.token_hash, row.prefix) for row in stored)


def test_challenges_list_and_detail(client, student):
    rows = client.get("/api/v1/challenges", headers=student).get_json()["challenges"]
    assert [r["slug"] for r in rows] == ["hello-routes"]
    assert rows[0]["files"] == ["app.py"] and rows[0]["best_score"] is None
    detail = client.get("/api/v1/challenges/hello-routes", headers=student).get_json()
    assert "Hello, routes" in detail["statement"] and detail["points"] == 100
    assert detail["entry"].count(":") == 1, "the CLI writes the entry point for `grader test`"
    assert client.get("/api/v1/challenges?concept=routing", headers=student).get_json()[
        "challenges"]
    assert client.get("/api/v1/challenges?concept=templates",
                      headers=student).get_json()["challenges"] == []


def test_unknown_challenge_is_404(client, student):
    response = client.get("/api/v1/challenges/no-such-thing", headers=student)
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "Challenge 'no-such-thing' was not found"
    response = submit(client, student, slug="no-such-thing")
    assert response.status_code == 404


def test_starter_zip_has_no_hidden_files(client, student):
    import zipfile

    response = client.get("/api/v1/challenges/hello-routes/starter", headers=student)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "hello-routes/app.py" in names and "hello-routes/README.md" in names
    assert "hello-routes/public_tests/test_public.py" in names
    assert not any("solution" in n or "mutants" in n or n.startswith("hello-routes/tests/")
                   for n in names)


def test_submit_file_grades_and_records(app, client, student, fake_runner):
    response = submit(client, student)
    assert response.status_code == 202
    record = response.get_json()
    assert record["status"] == "queued" and record["challenge"] == "hello-routes"
    assert record["user"] == "ann" and response.headers["Location"].endswith(str(record["id"]))
    wait_final(app, record["id"])
    final = client.get(f"/api/v1/submissions/{record['id']}", headers=student).get_json()
    assert final["status"] == "passed" and final["score"] == 100 and final["max_score"] == 100
    assert [t["id"] for t in final["tests"]] == ["test_routes.py::test_index",
                                                 "test_routes.py::test_hello_name"]
    assert set(final["timings_ms"]) >= {"queued", "run"}
    assert final["submitted_at"].endswith("Z") and final["finished_at"].endswith("Z")
    assert fake_runner.calls == [{"app.py": SOLUTION}]


def test_submit_archive_keeps_only_challenge_files(app, client, student, fake_runner):
    archive = zip_of({"project/app.py": MUTANT, "project/README.md": b"notes"})
    response = client.post("/api/v1/submissions", headers=student,
                           data={"challenge": "hello-routes",
                                 "archive": (io.BytesIO(archive), "project.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 202, response.get_json()
    assert "README.md" in response.get_json()["message"]
    wait_final(app, response.get_json()["id"])
    assert fake_runner.calls == [{"app.py": MUTANT}]


@pytest.mark.parametrize("data,status,code", [
    ({"challenge": "hello-routes"}, 400, "no_files"),
    ({}, 400, "no_challenge"),
    ({"challenge": "hello-routes", "evil.py": (io.BytesIO(b"x = 1"), "evil.py")}, 422, "rejected"),
    ({"challenge": "hello-routes", "../app.py": (io.BytesIO(b"x = 1"), "app.py")}, 422,
     "rejected"),
    ({"challenge": "hello-routes", "archive": (io.BytesIO(b"not a zip"), "a.zip")}, 400,
     "bad_archive"),
    ({"challenge": "hello-routes", "app.py": (io.BytesIO(b"\xff\xfe bad"), "app.py")}, 422,
     "rejected"),
])
def test_bad_submissions_are_refused_and_not_stored(app, client, student, data, status, code):
    response = client.post("/api/v1/submissions", headers=student, data=data,
                           content_type="multipart/form-data")
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert client.get("/api/v1/submissions", headers=student).get_json()["submissions"] == []


def test_oversized_upload_is_413_json(app, client, student):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = submit(client, student, content=b"x" * 4096)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_rate_limit_is_429_with_retry_after(app, client, student, fake_runner):
    app.config["GRADER_RATE_LIMIT"] = (2, 60)
    assert submit(client, student).status_code == 202
    assert submit(client, student).status_code == 202
    response = submit(client, student)
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 61
    assert response.get_json()["error"]["code"] == "rate_limited"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_wrong_method_on_known_api_path_is_json_405(client, student):
    response = client.delete("/api/v1/leaderboard", headers=student)
    assert response.status_code == 405 and response.headers["Allow"] == "GET"
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_leaderboard_is_public(client):
    response = client.get("/api/v1/leaderboard")
    assert response.status_code == 200 and response.get_json() == {"rows": []}


def test_openapi_is_generated_from_routes(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.unknown_endpoint":
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method.lower()) in documented
    submit_op = spec["paths"]["/api/v1/submissions"]["post"]
    assert submit_op["summary"].startswith("Submit files")
    assert {"202", "401", "413", "429"} <= set(submit_op["responses"])
    assert spec["paths"]["/api/v1/challenges"]["post"]["security"] == [{"bearer": []}]


def test_answers_that_differ_from_the_document_are_caught(client, student):
    """The check behind every API test reports an answer that breaks its schema."""
    from openapi_check import check_api_answers

    me = client.get("/api/v1/me", headers=student)
    assert check_api_answers(client) == []
    me.set_data(b'{"username": 7}')  # a wrong type, and required fields missing
    problems = check_api_answers(client)
    assert len(problems) == 1 and problems[0].startswith("GET /api/v1/me -> 200")
    client.api_answers.clear()


def test_requests_are_validated_with_the_documented_schemas(client, teacher):
    response = client.patch("/api/v1/challenges/hello-routes", headers=teacher,
                            json={"difficulty": "hard", "published": "perhaps"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_request"
    assert "difficulty" in error["message"] and "published" in error["message"]
    spec = client.get("/api/v1/openapi.json").get_json()
    body = spec["paths"]["/api/v1/challenges/{slug}"]["patch"]["requestBody"]
    edit = spec["components"]["schemas"][body["content"]["application/json"]["schema"]["$ref"]
                                         .rsplit("/", 1)[1]]
    assert edit["properties"]["difficulty"]["type"] == "integer"


def test_api_ignores_csrf_but_cookie_auth_cannot_write(app, client, auth, fake_runner):
    auth.login("teach")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.get("/api/v1/me").status_code == 200  # reading with the session is fine
    response = client.post("/api/v1/submissions", data={"challenge": "hello-routes"})
    assert response.status_code == 401


def challenge_archive(slug: str = "hello-routes") -> bytes:
    from server_support import HELLO

    files = {f"{slug}/{p.relative_to(HELLO).as_posix()}": p.read_bytes()
             for p in HELLO.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    manifest = f"{slug}/challenge.toml"
    files[manifest] = files[manifest].replace(b'"hello-routes"', f'"{slug}"'.encode())
    return zip_of(files)


@pytest.mark.parametrize("payload,status,code", [
    (b"definitely not a zip", 400, "bad_archive"),
    (zip_of({"notes.txt": b"no manifest here"}), 422, "invalid_challenge"),
    (zip_of({"x/challenge.toml": b"slug = 'Bad Slug'\ntitle = 'x'\n"}), 422, "invalid_challenge"),
])
def test_bad_challenge_uploads_are_refused(client, teacher, payload, status, code):
    response = client.post("/api/v1/challenges", headers=teacher,
                           data={"archive": (io.BytesIO(payload), "c.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def test_upload_while_the_sandbox_is_down_waits_in_the_queue(app, client, teacher,
                                                             monkeypatch):
    """The upload is stored at once (202); its check runs when the engine is back."""
    import threading
    import time

    import runner
    from grader.services import jobs, versions

    app.config["GRADER_ENGINE_RETRY_S"] = 1
    engine_back = threading.Event()
    real_check = versions.check_challenge

    def check(*args, **kwargs):
        if not engine_back.is_set():
            raise runner.EngineUnavailable("Cannot reach the Docker engine")
        return real_check(*args, **kwargs)

    monkeypatch.setattr(versions, "check_challenge", check)
    monkeypatch.setattr(jobs, "engine_ready", lambda: (engine_back.is_set(), "still down"))
    response = client.post("/api/v1/challenges?wait=30", headers=teacher,
                           data={"archive": (io.BytesIO(challenge_archive("new-one")), "c.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 202
    body = response.get_json()
    assert (body["state"], body["valid"], body["published"]) == ("queued", None, False)
    assert response.headers["Location"] == "/api/v1/challenges/new-one/versions/1"
    assert client.get("/api/v1/status").get_json()["paused"] is True
    engine_back.set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = client.get("/api/v1/challenges/new-one/versions/1", headers=teacher).get_json()
        if state["state"] == "done":
            break
        time.sleep(0.1)
    assert (state["state"], state["valid"], state["published"]) == ("done", True, True)
    assert state["rows_done"] == state["rows_total"] >= 3


def test_teacher_edits_metadata_and_reads_stats_and_scores(app, client, teacher, student,
                                                           fake_runner):
    response = client.patch("/api/v1/challenges/hello-routes", headers=teacher,
                            json={"title": "Routes, revisited", "difficulty": 2,
                                  "concepts": ["routing.route"]})
    assert response.status_code == 200 and response.get_json()["title"] == "Routes, revisited"
    bad = client.patch("/api/v1/challenges/hello-routes", headers=teacher,
                       json={"difficulty": 7})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_difficulty"
    wait_final(app, submit(client, student).get_json()["id"])
    stats = client.get("/api/v1/challenges/hello-routes/stats", headers=teacher).get_json()
    assert stats["attempts"] == 1 and stats["pass_rate"] == 1.0 and stats["median_score"] == 100
    csv_text = client.get("/api/v1/challenges/hello-routes/scores.csv",
                          headers=teacher).get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("username,best_score,max_score")
    assert csv_text.splitlines()[1].startswith("ann,100,100,1,")
