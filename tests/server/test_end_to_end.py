"""End to end with the real runner in Docker: submissions, live results, challenge uploads."""

from __future__ import annotations

import io
import shutil

import pytest
from server_support import HELLO, MUTANT, SOLUTION, make_app, submit, wait_final, zip_of
from test_live import bearer, collect, connect

BACKENDS = ["local", pytest.param("docker", marks=pytest.mark.docker)]


@pytest.fixture
def backend() -> str:
    """The backend of the tests that are not parametrized over both: the real Docker sandbox."""
    return "docker"


@pytest.fixture
def app(request, tmp_path, monkeypatch, backend):
    """The conftest app, but grading with the real runner (in Docker unless told otherwise)."""
    from grader.services import accounts, versions

    if backend == "docker":
        request.getfixturevalue("docker_engine")
    app = make_app(tmp_path, monkeypatch, GRADER_BACKEND=backend)
    with app.app_context():
        versions.import_folder(HELLO, validate=False)
        accounts.register("teach", "correct-horse-9", role="teacher")
    yield app
    app.extensions["grader_queue"].shutdown()


@pytest.mark.docker
def test_learner_sees_each_test_then_the_score(app, client, make_user):
    _, ann = make_user("ann")
    live = connect(app, token=bearer(ann))
    sub_id = submit(client, ann, content=MUTANT).get_json()["id"]
    got = collect(live, "failed", timeout=90)
    tests = {e["args"][0]["test"]["id"]: e["args"][0]["test"] for e in got
             if e["name"] == "test.result"}
    assert tests["test_routes.py::test_index"]["status"] == "passed"
    assert tests["test_routes.py::test_hello_name"]["status"] == "failed"
    assert tests["test_routes.py::test_hello_name"]["message"] == "Greet the name from the URL"
    record = client.get(f"/api/v1/submissions/{sub_id}", headers=ann).get_json()
    assert (record["status"], record["score"], record["max_score"]) == ("failed", 40, 100)
    assert record["timings_ms"]["run"] > 0

    sub_id = submit(client, ann, content=SOLUTION).get_json()["id"]
    collect(live, "passed", timeout=90)
    assert wait_final(app, sub_id).score == 100
    solved = client.get(f"/api/v1/submissions/{sub_id}", headers=ann).get_json()
    # The total last rose when the passing submission finished (the 40 came earlier).
    assert solved["finished_at"] > record["finished_at"]
    assert client.get("/api/v1/leaderboard").get_json()["rows"] == [{
        "rank": 1, "name": "ann", "score": 100, "solved": 1,
        "last_improvement": solved["finished_at"]}]


@pytest.mark.parametrize("backend", BACKENDS)
def test_code_that_crashes_on_import_is_an_error_verdict(app, client, make_user):
    """`os._exit` while the app is imported: `error` (the contract's verdict), never `failed`."""
    _, ann = make_user("ann")
    sub_id = submit(client, ann, content=b"import os\nos._exit(3)\n").get_json()["id"]
    wait_final(app, sub_id, timeout=90)
    record = client.get(f"/api/v1/submissions/{sub_id}", headers=ann).get_json()
    assert (record["status"], record["score"], record["max_score"]) == ("error", 0, 100)
    assert "stopped during the import" in record["message"]
    assert {test["status"] for test in record["tests"]} == {"error"}


def challenge_zip(folder) -> bytes:
    files = {}
    for path in folder.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            files[f"{folder.name}/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    return zip_of(files)


@pytest.mark.docker
def test_teacher_upload_is_validated_in_the_sandbox(app, client, teacher, tmp_path):
    good = tmp_path / "greetings"
    shutil.copytree(HELLO, good)
    (good / "challenge.toml").write_text(
        (good / "challenge.toml").read_text().replace('"hello-routes"', '"greetings"'))
    response = client.post("/api/v1/challenges", headers=teacher,
                           data={"archive": (io.BytesIO(challenge_zip(good)), "g.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["valid"] and body["published"] and body["report"]["ok"]
    assert {row["kind"] for row in body["report"]["rows"]} == {"solution", "starter", "mutant"}

    # A mutant that is as good as the solution means the hidden tests miss a mistake.
    shutil.copy(good / "solution" / "app.py", good / "mutants" / "wrong-greeting" / "app.py")
    response = client.post("/api/v1/challenges", headers=teacher,
                           data={"archive": (io.BytesIO(challenge_zip(good)), "g.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"]["code"] == "validation_failed" and body["valid"] is False
    assert body["version"] == 2
    detail = client.get("/api/v1/challenges/greetings", headers=teacher).get_json()
    assert detail["version"] == 1 and detail["published"]  # the good version stays in use
