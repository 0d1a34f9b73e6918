"""`grader test` and `grader challenge check --local`: the real harness, no Docker."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HELLO = ROOT / "challenges" / "hello-flask"


@pytest.fixture
def hello_workspace(isolated_home: Path) -> Path:
    """A folder as `grader start hello-flask` leaves it."""
    if not (HELLO / "public_tests").is_dir():
        pytest.fail("the bundled challenge hello-flask (with public tests) is missing")
    folder = isolated_home / "hello-flask"
    shutil.copytree(HELLO / "starter", folder)
    shutil.copytree(HELLO / "public_tests", folder / "public_tests")
    (folder / ".grader.json").write_text(
        json.dumps({"slug": "hello-flask", "entry": "app:app", "files": ["app.py"], "server": None})
    )
    return folder


def test_the_starter_does_not_pass_its_public_tests(grader, hello_workspace, monkeypatch):
    monkeypatch.chdir(hello_workspace)
    result = grader("test", "--json")
    assert result.exit_code == 1, result.output
    record = json.loads(result.stdout)
    assert record["challenge"] == "hello-flask"
    # The starter imports and answers: its tests run and fail, so the verdict is `failed`
    # (`error` would mean the app could not even start).
    assert record["status"] == "failed"
    assert record["score"] < record["max_score"]
    assert "failed" in {test["status"] for test in record["tests"]}


def test_the_solution_passes_its_public_tests(grader, hello_workspace):
    shutil.copy(HELLO / "solution" / "app.py", hello_workspace / "app.py")
    (hello_workspace / "notes.txt").write_text("not part of the submission\n")
    result = grader("test", str(hello_workspace / "public_tests"), "--json")  # found upwards
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["status"] == "passed" and record["score"] == record["max_score"]
    assert len(record["tests"]) >= 2
    assert all(t["status"] == "passed" for t in record["tests"])


def test_text_mode_shows_pytests_report_and_sets_the_exit_code(grader, hello_workspace, capfd):
    shutil.copy(HELLO / "solution" / "app.py", hello_workspace / "app.py")
    result = grader("test", str(hello_workspace))
    assert result.exit_code == 0
    assert "passed" in capfd.readouterr().out
    (hello_workspace / "app.py").write_text("raise SystemExit('broken')\n")
    assert grader("test", str(hello_workspace)).exit_code == 1


def test_outside_a_challenge_folder_says_to_start_one(grader, isolated_home):
    result = grader("test")
    assert result.exit_code == 2
    assert "is not a challenge folder (no .grader.json in it or above)" in result.stderr
    assert "grader start SLUG" in result.stderr


def test_a_folder_without_public_tests_points_to_submit(grader, hello_workspace):
    shutil.rmtree(hello_workspace / "public_tests")
    result = grader("test", str(hello_workspace))
    assert result.exit_code == 2
    assert "has no public tests" in result.stderr and "grader submit hello-flask" in result.stderr


def test_challenge_check_fails_when_a_mutant_scores_full_points(grader, tmp_path):
    folder = tmp_path / "weak"
    shutil.copytree(HELLO, folder)
    mutant = min((folder / "mutants").iterdir())
    shutil.copy(folder / "solution" / "app.py", mutant / "app.py")  # a "mutant" that is right
    result = grader("challenge", "check", str(folder), "--local", "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert [r["ok"] for r in report["rows"] if r["name"] == f"mutants/{mutant.name}"] == [False]
