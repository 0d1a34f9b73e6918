"""The same fixtures outside Docker: public tests and authoring in a local subprocess."""

from __future__ import annotations

import shutil
from pathlib import Path

from runner.local import run_public_tests

CHALLENGES = Path(__file__).parent / "challenges"


def test_public_tests_pass_on_a_solution(tmp_path, capfd):
    folder = tmp_path / "work"
    shutil.copytree(CHALLENGES / "slow-steps" / "solution", folder)
    code = run_public_tests(folder, CHALLENGES / "slow-steps" / "public_tests", "app:app")
    assert code == 0
    assert "2 passed" in capfd.readouterr().out


def test_public_tests_fail_on_the_starter_with_readable_output(tmp_path, capfd):
    folder = tmp_path / "work"
    shutil.copytree(CHALLENGES / "slow-steps" / "starter", folder)
    code = run_public_tests(folder, CHALLENGES / "slow-steps" / "public_tests", "app:app")
    assert code == 1
    out = capfd.readouterr().out
    assert "2 failed" in out and "test_double_two" in out


def test_public_tests_do_not_write_into_the_learner_folder(tmp_path):
    folder = tmp_path / "work"
    shutil.copytree(CHALLENGES / "slow-steps" / "solution", folder)
    before = sorted(p.name for p in folder.rglob("*"))
    run_public_tests(folder, CHALLENGES / "slow-steps" / "public_tests", "app:app")
    assert sorted(p.name for p in folder.rglob("*")) == before
