"""`grader challenges`, `start`, `status`, `leaderboard`, `--help`, and the error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.client.cli import cli


def test_challenges_is_a_table_with_my_best_score(grader, logged_in):
    result = grader("challenges")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["slug", "title", "concepts", "difficulty", "points", "my", "best"]
    converters = next(line for line in lines if line.startswith("url-converters"))
    assert "Typed URL parameters" in converters and "routing.converters" in converters
    assert converters.rstrip().endswith("60/100")
    hello = next(line for line in lines if line.startswith("hello-flask"))
    assert "core.app, routing.route" in hello and "**" in hello and hello.rstrip().endswith("-")


def test_challenges_json_is_the_server_rows(grader, logged_in):
    result = grader("challenges", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["slug"] for r in rows] == ["url-converters", "hello-flask"]


def test_start_unpacks_the_starter_public_tests_and_a_marker(grader, logged_in, isolated_home):
    result = grader("start", "url-converters")
    assert result.exit_code == 0, result.output
    folder = isolated_home / "url-converters"
    assert (folder / "app.py").read_text().startswith("from flask import Flask")
    assert (folder / "public_tests" / "test_public.py").is_file()
    marker = json.loads((folder / ".grader.json").read_text())
    assert marker["slug"] == "url-converters"
    assert marker["entry"] == "app:create_app"  # found in the starter: the API sends no entry
    assert marker["files"] == ["app.py", "templates/*.html"]
    assert marker["server"] == logged_in.url
    assert "grader submit url-converters" in result.stdout
    assert "grader test" in result.stdout


def test_start_refuses_to_overwrite_work_without_force(grader, logged_in, isolated_home):
    folder = isolated_home / "mine"
    folder.mkdir()
    (folder / "app.py").write_text("my work")
    result = grader("start", "url-converters", "mine")
    assert result.exit_code == 2
    assert "already holds 1 file(s) (app.py)" in result.stderr and "--force" in result.stderr
    assert (folder / "app.py").read_text() == "my work"
    forced = grader("start", "url-converters", "mine", "--force")
    assert forced.exit_code == 0
    assert (folder / "app.py").read_text().startswith("from flask")


def test_start_of_an_unknown_slug_suggests_close_ones(grader, logged_in, isolated_home):
    result = grader("start", "url-convertors")
    assert result.exit_code == 2
    assert "Not found: challenge 'url-convertors'. Did you mean url-converters?" in result.stderr
    assert not (isolated_home / "url-convertors").exists()


def test_status_shows_each_test_and_the_score(grader, logged_in):
    logged_in.state.submissions[7] = {
        "id": 7,
        "challenge": "url-converters",
        "user": "ann",
        "status": "failed",
        "score": 60,
        "max_score": 100,
        "tests": logged_in.state.outcomes["url-converters"],
    }
    result = grader("status", "7")
    assert result.exit_code == 0
    assert "Submission 7 · url-converters · ann" in result.stdout
    assert "PASS Integer ids are parsed  60/60  12 ms" in result.stdout
    assert "FAIL Unknown ids are 404  0/40" in result.stdout
    assert "    Unknown ids should be Not Found" in result.stdout
    assert "failed: 60/100 points" in result.stdout
    assert json.loads(grader("status", "7", "--json").stdout)["score"] == 60


def test_status_of_a_missing_submission(grader, logged_in):
    result = grader("status", "99")
    assert result.exit_code == 2
    assert "Not found: submission 99." in result.stderr


def test_status_rejects_a_non_number(grader, logged_in):
    result = grader("status", "abc")
    assert result.exit_code == 2
    assert "'abc' is not a valid integer" in result.stderr


def test_leaderboard_needs_no_login(grader, fake, monkeypatch):
    monkeypatch.setenv("GRADER_SERVER", fake.url)
    result = grader("leaderboard")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["rank", "name", "score", "solved"]
    assert lines[2].split()[:4] == ["1", "ann", "150", "2"]
    assert json.loads(grader("leaderboard", "--json").stdout)[1]["name"] == "bob"


@pytest.mark.parametrize(
    ("status", "code", "message", "headers", "expected"),
    [
        (403, "forbidden", "Teachers only", {}, "Not allowed: Teachers only."),
        (
            413,
            "too_large",
            "The upload is over 2 MB",
            {},
            "Too large for the server: The upload is over 2 MB",
        ),
        (
            429,
            "rate_limited",
            "Too many submissions",
            {"Retry-After": "17"},
            "Too many requests: Too many submissions; retry in 17 s.",
        ),
        (
            500,
            "internal_error",
            "Something broke",
            {},
            "The server failed (internal_error, HTTP 500)",
        ),
        (
            503,
            "unavailable",
            "Grading is paused",
            {},
            "cannot do this right now: Grading is paused",
        ),
    ],
)
def test_api_errors_read_as_advice(grader, logged_in, status, code, message, headers, expected):
    logged_in.state.errors["GET /api/v1/challenges"] = (status, code, message, headers)
    result = grader("challenges")
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_an_unreachable_server_names_the_url_it_tried(grader, monkeypatch):
    from components import free_port

    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("GRADER_SERVER", url)
    monkeypatch.setenv("GRADER_TOKEN", "t")
    result = grader("challenges")
    assert result.exit_code == 2
    assert f"Cannot reach the grader server at {url}/api/v1/challenges" in result.stderr
    assert "grader serve" in result.stderr


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in _commands(cli)], ids=" ".join)
def test_every_command_has_help_with_an_example(grader, path):
    result = grader(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"grader {' '.join(path)}" in result.stdout


def test_push_uploads_a_zip_and_shows_the_validation(grader, fake, monkeypatch):
    from cli_fake_server import TEACHER_TOKEN

    monkeypatch.setenv("GRADER_SERVER", fake.url)
    monkeypatch.setenv("GRADER_TOKEN", TEACHER_TOKEN)
    folder = Path("mychallenge")
    for sub in ("starter", "solution", "tests"):
        (folder / sub).mkdir(parents=True)
    (folder / "challenge.toml").write_text(
        'slug = "mychallenge"\ntitle = "Mine"\nconcepts = ["core.app"]\n'
    )
    (folder / "tests" / "test_x.py").write_text("def test_x(client):\n    pass\n")
    (folder / "solution" / "app.py").write_text("app = 1\n")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "junk.pyc").write_bytes(b"\0")
    result = grader("challenge", "push", "mychallenge")
    assert result.exit_code == 0, result.output
    assert "mychallenge version 3 is published." in result.stdout
    assert "solution" in result.stdout and "passed" in result.stdout
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(fake.state.pushed[0])).namelist()
    assert "challenge.toml" in names and "tests/test_x.py" in names
    assert not any("__pycache__" in n for n in names)


def test_push_that_fails_the_check_shows_the_report_and_exits_1(
    grader, fake, monkeypatch, isolated_home
):
    from cli_fake_server import TEACHER_TOKEN

    monkeypatch.setenv("GRADER_SERVER", fake.url)
    monkeypatch.setenv("GRADER_TOKEN", TEACHER_TOKEN)
    folder = isolated_home / "mychallenge"
    (folder / "tests").mkdir(parents=True)
    (folder / "mutants" / "kept").mkdir(parents=True)
    (folder / "challenge.toml").write_text('title = "Mine"\n')
    (folder / "tests" / "test_x.py").write_text("def test_x(client):\n    pass\n")
    (folder / "mutants" / "kept" / "app.py").write_text("app = 2\n")
    result = grader("challenge", "push", str(folder))
    assert result.exit_code == 1, result.output
    assert "mutants/kept" in result.stdout and "NO" in result.stdout
    assert (
        "mychallenge version 3 was NOT published: The challenge did not validate." in result.stdout
    )
    record = json.loads(grader("challenge", "push", str(folder), "--json").stdout)
    assert record["valid"] is False and record["report"]["ok"] is False


def test_push_of_a_student_is_forbidden(grader, logged_in, isolated_home):
    folder = isolated_home / "c"
    folder.mkdir()
    (folder / "tests").mkdir()
    (folder / "tests" / "test_x.py").write_text("def test_x():\n    pass\n")
    (folder / "challenge.toml").write_text('title = "C"\n')
    result = grader("challenge", "push", "c")
    assert result.exit_code == 2
    assert "Not allowed: Only teachers may upload challenges." in result.stderr


def test_push_of_a_folder_without_a_manifest_is_refused_locally(grader, logged_in, isolated_home):
    (isolated_home / "empty").mkdir()
    result = grader("challenge", "push", "empty")
    assert result.exit_code == 2
    assert "empty is not a valid challenge: empty: no challenge.toml" in result.stderr
    assert logged_in.state.pushed == []


def test_status_of_an_unfinished_submission_says_to_look_again(grader, logged_in):
    logged_in.state.submissions[3] = {
        "id": 3,
        "challenge": "hello-flask",
        "status": "running",
        "score": 0,
        "max_score": 50,
        "tests": [],
    }
    result = grader("status", "3")
    assert result.exit_code == 0
    assert "running: 0/50 points" in result.stdout
    assert "run `grader status 3` again" in result.stderr


def test_submissions_lists_mine_newest_first(grader, logged_in):
    for sid, slug, status, score in [
        (1, "hello-flask", "failed", 10),
        (2, "url-converters", "passed", 100),
    ]:
        logged_in.state.submissions[sid] = {
            "id": sid,
            "challenge": slug,
            "status": status,
            "score": score,
            "max_score": 100,
            "tests": [],
            "submitted_at": f"2026-11-23T10:0{sid}:00Z",
        }
    result = grader("submissions")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "challenge", "status", "score", "submitted"]
    assert lines[2].split() == ["2", "url-converters", "passed", "100/100", "2026-11-23T10:02:00Z"]
    assert lines[3].split()[:3] == ["1", "hello-flask", "failed"]
    only = json.loads(grader("submissions", "-c", "hello-flask", "--json").stdout)
    assert [r["id"] for r in only] == [1]
    assert len(json.loads(grader("submissions", "-n", "1", "--json").stdout)) == 1
    unknown = grader("submissions", "-c", "helo-flask")
    assert unknown.exit_code == 2 and "Did you mean hello-flask?" in unknown.stderr


def test_submissions_follows_the_pages_up_to_its_limit(grader, logged_in):
    for sid in range(1, 121):
        logged_in.state.submissions[sid] = {
            "id": sid, "challenge": "hello-flask", "status": "failed", "score": 0,
            "max_score": 100, "tests": [], "submitted_at": "2026-11-23T10:00:00Z"}
    many = json.loads(grader("submissions", "-n", "110", "--json").stdout)
    assert [r["id"] for r in many] == list(range(120, 10, -1))
    every = json.loads(grader("submissions", "-n", "500", "--json").stdout)
    assert [r["id"] for r in every] == list(range(120, 0, -1))
    assert len(json.loads(grader("submissions", "--json").stdout)) == 20


def test_shell_completion_offers_the_servers_slugs(logged_in):
    from click.shell_completion import ShellComplete

    from grader.client.cli import cli

    complete = ShellComplete(cli, {}, "grader", "_GRADER_COMPLETE")
    assert [c.value for c in complete.get_completions(["submit"], "url")] == ["url-converters"]
    assert {c.value for c in complete.get_completions(["start"], "")} == {
        "url-converters",
        "hello-flask",
    }
    assert "submissions" in [c.value for c in complete.get_completions([], "sub")]
