"""`grader challenge check`'s engine: solution full, starter and mutants less, in both backends."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from runner.check import check_challenge, format_table

CHALLENGES = Path(__file__).parent / "challenges"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bad_challenge(tmp_path):
    """secret-echo with a 'mutant' that is really the solution: the check must say NOT OK."""
    folder = tmp_path / "secret-echo"
    shutil.copytree(CHALLENGES / "secret-echo", folder)
    shutil.copytree(folder / "solution", folder / "mutants" / "not-really-wrong")
    return folder


@pytest.mark.docker
def test_good_challenge_in_docker(docker_engine):
    report = check_challenge(CHALLENGES / "secret-echo", backend="docker")
    assert report.ok, format_table(report)
    kinds = {row.name: (row.kind, row.expected, row.ok) for row in report.rows}
    assert kinds == {"solution": ("solution", "full", True), "starter": ("starter", "less", True),
                     "mutants/plain": ("mutant", "less", True)}
    table = format_table(report)
    assert "OK: the solution scores full points" in table and "100/100" in table


@pytest.mark.docker
def test_bad_challenge_in_docker(docker_engine, bad_challenge):
    report = check_challenge(bad_challenge, backend="docker")
    assert not report.ok
    bad = [row for row in report.rows if not row.ok]
    assert [row.name for row in bad] == ["mutants/not-really-wrong"]
    assert "NOT OK" in format_table(report)


def test_local_backend_check(bad_challenge):
    assert check_challenge(CHALLENGES / "secret-echo", backend="local").ok
    assert not check_challenge(bad_challenge, backend="local").ok


def test_broken_folder_is_reported(tmp_path):
    report = check_challenge(tmp_path / "nothing-here", backend="local")
    assert not report.ok and "no challenge.toml" in report.problems[0]


def test_missing_parts_are_problems(tmp_path):
    folder = tmp_path / "slow-steps"
    shutil.copytree(CHALLENGES / "slow-steps", folder)
    shutil.rmtree(folder / "mutants")
    (folder / "statement.md").unlink()
    report = check_challenge(folder, backend="local")
    assert not report.ok
    assert "statement.md is missing" in report.problems
    assert "mutants/ holds no wrong solution" in report.problems


def test_module_command_json_and_exit_codes(bad_challenge):
    run = [sys.executable, "-m", "runner", "check", "--local", "--json"]
    good = subprocess.run([*run, str(CHALLENGES / "secret-echo")], capture_output=True, text=True,
                          cwd=ROOT)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["ok"] is True
    bad = subprocess.run([*run, str(bad_challenge)], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["ok"] is False
