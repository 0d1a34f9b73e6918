"""`grader submit`: which files are sent, live lines, the final record, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.client import render


@pytest.fixture
def project(isolated_home: Path) -> Path:
    """A learner's folder with an allowed app, an allowed template and some files that are not."""
    (isolated_home / "app.py").write_text("app = 'mine'\n")
    (isolated_home / "templates").mkdir()
    (isolated_home / "templates" / "index.html").write_text("<h1>hi</h1>\n")
    (isolated_home / "notes.txt").write_text("todo\n")
    (isolated_home / "public_tests").mkdir()
    (isolated_home / "public_tests" / "test_public.py").write_text("x = 1\n")
    (isolated_home / "__pycache__").mkdir()
    (isolated_home / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"\0")
    (isolated_home / ".grader.json").write_text('{"slug": "url-converters"}')
    return isolated_home


def test_submit_sends_only_allowed_files_and_names_the_others(grader, logged_in, project):
    result = grader("submit", "url-converters")
    assert result.exit_code == 1, result.output  # one hidden test fails
    sent = logged_in.state.received[0]
    assert sent["files"] == {"app.py": "app = 'mine'\n", "templates/index.html": "<h1>hi</h1>\n"}
    assert (
        "Left out 2 file(s) this challenge does not accept (app.py, templates/*.html): "
        "notes.txt, public_tests/test_public.py"
    ) in result.stderr
    assert "Sending 2 file(s): app.py, templates/index.html" in result.stderr


def test_submit_streams_a_line_per_test_then_the_score(grader, logged_in, project):
    result = grader("submit", "url-converters")
    out = result.stdout
    assert "PASS Integer ids are parsed  60/60  12 ms" in out
    assert "FAIL Unknown ids are 404  0/40  9 ms\n    Unknown ids should be Not Found" in out
    assert out.rstrip().endswith("failed: 60/100 points")
    assert out.count("Integer ids are parsed") == 1  # live event and final record not doubled
    assert "\r" not in out  # no progress bar when stdout is not a terminal


def test_submit_exits_zero_when_every_test_passed(grader, logged_in, project):
    result = grader("submit", "hello-flask", "app.py")
    assert result.exit_code == 0, result.output
    assert logged_in.state.received[0]["files"] == {"app.py": "app = 'mine'\n"}
    assert "passed: 50/50 points" in result.stdout


def test_submit_json_prints_only_the_final_record(grader, logged_in, project):
    result = grader("submit", "url-converters", "--json")
    assert result.exit_code == 1
    record = json.loads(result.stdout)
    assert record["status"] == "failed" and record["score"] == 60 and record["max_score"] == 100
    assert [t["status"] for t in record["tests"]] == ["passed", "failed"]


def test_submit_no_wait_returns_once_queued(grader, logged_in, project):
    result = grader("submit", "hello-flask", "--no-wait")
    assert result.exit_code == 0
    assert "Submission 1 is queued." in result.stdout
    assert "grader status 1" in result.stdout
    queued = json.loads(grader("submit", "hello-flask", "--no-wait", "--json").stdout)
    assert queued["status"] == "queued" and queued["id"] == 2


def test_submit_falls_back_to_polling_without_live_events(grader, logged_in, project):
    logged_in.state.refuse_live = True
    result = grader("submit", "url-converters")
    assert result.exit_code == 1
    assert "Live results are unavailable" in result.stderr
    assert "PASS Integer ids are parsed" in result.stdout
    assert "failed: 60/100 points" in result.stdout


def test_submit_uses_the_stored_record_when_events_are_missed(
    grader, logged_in, project, monkeypatch
):
    from grader.client import submit

    monkeypatch.setattr(submit, "POLL_WITH_FEED_S", 0.2)
    logged_in.state.emit_events = False
    result = grader("submit", "hello-flask", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["status"] == "passed"


def test_submit_files_from_another_folder_keep_their_relative_paths(grader, logged_in, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "templates").mkdir(parents=True)
    (elsewhere / "app.py").write_text("a\n")
    (elsewhere / "templates" / "base.html").write_text("b\n")
    result = grader("submit", "url-converters", str(elsewhere), "--no-wait")
    assert result.exit_code == 0, result.output
    assert logged_in.state.received[0]["files"] == {"app.py": "a\n", "templates/base.html": "b\n"}


def test_submit_with_no_acceptable_file_sends_nothing(grader, logged_in, project):
    result = grader("submit", "hello-flask", "notes.txt")
    assert result.exit_code == 2
    assert "None of the files given match what this challenge accepts (app.py)" in result.stderr
    assert logged_in.state.received == []


def test_submit_of_a_missing_path_is_a_usage_error(grader, logged_in, project):
    result = grader("submit", "hello-flask", "nope.py")
    assert result.exit_code == 2
    assert "'nope.py' does not exist" in result.stderr


def test_submit_to_an_unknown_challenge_suggests_one(grader, logged_in, project):
    result = grader("submit", "hello-flsk")
    assert result.exit_code == 2
    assert "Did you mean hello-flask?" in result.stderr


def test_submit_rate_limited_says_when_to_retry(grader, logged_in, project):
    logged_in.state.errors["POST /api/v1/submissions"] = (
        429,
        "rate_limited",
        "Too many submissions",
        {"Retry-After": "30"},
    )
    result = grader("submit", "hello-flask")
    assert result.exit_code == 2
    assert "retry in 30 s" in result.stderr


def test_submit_too_large_is_explained(grader, logged_in, project):
    logged_in.state.errors["POST /api/v1/submissions"] = (
        413,
        "too_large",
        "The upload is larger than 2 MB",
        {},
    )
    result = grader("submit", "hello-flask", "--json")
    assert result.exit_code == 2
    assert "Too large for the server: The upload is larger than 2 MB" in result.stderr
    assert result.stdout == ""


def test_live_view_draws_and_clears_a_progress_bar_on_a_terminal(monkeypatch):
    import io

    monkeypatch.setenv("NO_COLOR", "1")

    stream = io.StringIO()
    view = render.LiveView(stream, tty=True)
    view.status_changed("running", 100)
    view.test_finished(
        {
            "id": "a",
            "title": "A",
            "status": "passed",
            "points": 40,
            "max_points": 40,
            "duration_ms": 3,
        }
    )
    text = stream.getvalue()
    assert "running [" + "#" * 10 + "-" * 14 + "]  40/100 points graded, 1 test" in text
    assert "running..." not in text
    view.status = "passed"
    view.finished({"status": "passed", "score": 40, "max_score": 100, "tests": []})
    assert stream.getvalue().endswith(
        "\r\x1b[2K"
        + render.score_line({"status": "passed", "score": 40, "max_score": 100}, True)
        + "\n"
    )


def test_progress_bar_counts_points():
    assert render.progress_bar(0, 100, 0) == "[" + "-" * 24 + "]   0/100 points graded, 0 tests"
    assert render.progress_bar(100, 100, 3).startswith("[" + "#" * 24 + "] 100/100")


def test_files_that_start_downloaded_are_not_reported_as_left_out(
    grader, logged_in, isolated_home, monkeypatch
):
    assert grader("start", "url-converters").exit_code == 0
    folder = isolated_home / "url-converters"
    (folder / "scratch.py").write_text("x = 1\n")
    monkeypatch.chdir(folder)
    result = grader("submit", "url-converters", "--no-wait")
    assert result.exit_code == 0, result.output
    assert (
        "Left out 1 file(s) this challenge does not accept (app.py, templates/*.html): "
        "scratch.py" in result.stderr
    )
    assert "README.md" not in result.stderr and "public_tests" not in result.stderr
    assert list(logged_in.state.received[0]["files"]) == ["app.py"]


def test_submitting_a_folder_started_for_another_challenge_warns(grader, logged_in, project):
    result = grader("submit", "hello-flask", "--no-wait")
    assert result.exit_code == 0
    assert "was started for 'url-converters', not 'hello-flask'" in result.stderr


def test_a_huge_folder_is_refused_rather_than_walked(grader, logged_in, isolated_home, monkeypatch):
    from grader.client import workspace

    monkeypatch.setattr(workspace, "MAX_WALKED_FILES", 5)
    for n in range(7):
        (isolated_home / f"file{n}.txt").write_text("x")
    result = grader("submit", "hello-flask")
    assert result.exit_code == 2
    assert "holds more than 5 files: is it really the project?" in result.stderr
    assert logged_in.state.received == []


@pytest.mark.parametrize(("no_color", "colored"), [("", True), ("1", False)])
def test_terminal_marks_are_coloured_unless_no_color(monkeypatch, no_color, colored):
    monkeypatch.setenv("NO_COLOR", no_color)
    line = render.test_line({"title": "T", "status": "passed", "points": 1, "max_points": 1}, True)
    assert line.startswith("\x1b[") is colored
    assert "✓" in line
    plain = render.test_line(
        {"title": "T", "status": "failed", "points": 0, "max_points": 1}, False
    )
    assert plain.startswith("FAIL T  0/1")


def test_ctrl_c_while_following_says_the_grading_goes_on(grader, logged_in, project, monkeypatch):
    from grader.client.http import LiveFeed

    def interrupted(self, timeout):
        raise KeyboardInterrupt

    monkeypatch.setattr(LiveFeed, "get", interrupted)
    result = grader("submit", "hello-flask")
    assert result.exit_code == 130
    assert "Stopped watching. Submission 1 is still graded on the server" in result.stderr
    assert "grader status 1" in result.stderr


def test_a_submission_still_running_at_the_timeout_exits_2(grader, logged_in, project):
    logged_in.state.outcomes["hello-flask"] = []
    logged_in.state.emit_events = False
    logged_in.state.hold = True
    result = grader("submit", "hello-flask", "--timeout", "1")
    assert result.exit_code == 2
    assert "Submission 1 is still queued after 1 s" in result.stderr


def test_a_grader_fault_exits_2_and_says_it_is_not_the_learners(grader, logged_in, project):
    logged_in.state.outcomes["hello-flask"] = []
    logged_in.state.verdict = "internal_error"
    result = grader("submit", "hello-flask")
    assert result.exit_code == 2
    assert "internal_error: 0/50 points" in result.stdout
    assert (
        "the grader itself failed on submission 1; this is not your code's fault" in result.stderr
    )


@pytest.mark.parametrize(("verdict", "code"), [("timeout", 1), ("memory", 1), ("error", 1)])
def test_learner_verdicts_exit_1(grader, logged_in, project, verdict, code):
    logged_in.state.verdict = verdict
    result = grader("submit", "hello-flask", "--json")
    assert result.exit_code == code
    assert json.loads(result.stdout)["status"] == verdict


def test_a_server_published_below_a_path_streams_live_too(grader, project, monkeypatch):
    from cli_fake_server import TOKEN, FakeServer

    from grader.client.http import LiveFeed

    with FakeServer(prefix="/grader") as server:
        server.state.challenges["hello-flask"] = {
            "slug": "hello-flask",
            "points": 50,
            "files": ["app.py"],
        }
        server.state.outcomes["hello-flask"] = [
            {"id": "t", "title": "T", "status": "passed", "points": 50, "max_points": 50}
        ]
        feed = LiveFeed(server.url, TOKEN)
        feed.connect()  # raises if /grader/socket.io is not where it looked
        feed.close()
        monkeypatch.setenv("GRADER_SERVER", server.url)
        monkeypatch.setenv("GRADER_TOKEN", TOKEN)
        result = grader("submit", "hello-flask")
    assert result.exit_code == 0, result.output
    assert "Live results are unavailable" not in result.stderr
    assert "passed: 50/50 points" in result.stdout
