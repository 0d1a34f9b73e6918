"""Every verdict, per-test streaming, and the sandbox's isolation properties, in real Docker."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from runner import Verdict, grade, load_challenge
from runner.grading import grade_folder
from runner.submission import read_folder

CHALLENGES = Path(__file__).parent / "challenges"

pytestmark = pytest.mark.docker

SOLUTION = (CHALLENGES / "secret-echo" / "solution" / "app.py").read_text()


def test_passed(graded, secret_echo):
    """The reference solution passes with full points and per-test records"""
    result = graded(secret_echo, {"app.py": SOLUTION})
    assert result.status is Verdict.PASSED
    assert result.score == result.max_score == 100
    assert [t.status for t in result.tests] == ["passed"] * 4
    assert sum(t.max_points for t in result.tests) == 100
    assert result.tests[0].max_points == 40  # points(2) out of weights 2+1+1+1
    assert result.started_at and result.finished_at and result.timings_ms["run"] > 0


def test_failed_keeps_partial_points_and_hints(graded, secret_echo):
    """A wrong answer fails with partial points and the teacher's hint, not the test's code"""
    result = graded(secret_echo, {"app.py": SOLUTION.replace(' + request.args', ' - request.args')})
    assert result.status is Verdict.FAILED
    assert result.score == 80
    failed = [t for t in result.tests if t.status == "failed"]
    assert len(failed) == 1 and failed[0].message == "2 + 3 should be 5"


def test_error_on_syntax_error(graded, secret_echo):
    """A syntax error is an error verdict that points at the learner's line"""
    result = graded(secret_echo, {"app.py": "from flask import Flask\ndef create_app(:\n"})
    assert result.status is Verdict.ERROR
    assert "SyntaxError" in result.message and "app.py" in result.message
    assert "line 2" in result.message
    assert result.score == 0


def test_error_on_missing_entry(graded, secret_echo):
    """A missing factory is an error that names what the challenge expects"""
    result = graded(secret_echo, {"app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert result.status is Verdict.ERROR
    assert "create_app" in result.message


def test_error_on_missing_module(graded, secret_echo):
    """Without the entry module the app cannot be imported"""
    result = graded(secret_echo, {"other.py": "x = 1\n"})
    # the starter's app.py is used for files not sent; the starter has no routes
    assert result.status is Verdict.FAILED
    probe = load_challenge(CHALLENGES / "isolation-probe")
    result = graded(probe, {"probe.py": "x = 1\n", "app.py": "import missing_module_xyz\n"})
    assert result.status is Verdict.ERROR
    assert "ModuleNotFoundError" in result.message


def test_timeout(graded, secret_echo):
    """A suite past its wall clock is a timeout, with the tests that finished kept"""
    slow = SOLUTION.replace('return str(request.args', 'import time; time.sleep(60); return str(request.args')
    result = graded(secret_echo, {"app.py": slow})
    assert result.status is Verdict.TIMEOUT
    assert any(t.status == "timeout" for t in result.tests)
    assert any(t.status == "passed" for t in result.tests)


def test_memory(graded, secret_echo):
    """Allocating past the memory limit is a memory verdict"""
    hog = SOLUTION.replace('return str(request.args', 'x = bytearray(400 * 1024 * 1024); return str(request.args')
    result = graded(secret_echo, {"app.py": hog})
    assert result.status is Verdict.MEMORY


def test_rejected(graded, secret_echo):
    """Files the manifest does not admit, or that are not UTF-8, are rejected before running"""
    probe = load_challenge(CHALLENGES / "isolation-probe")
    result = graded(probe, {"app.py": SOLUTION, "notes.txt": "hello"})
    assert result.status is Verdict.REJECTED
    assert "notes.txt" in result.message and "app.py" in result.message
    result = graded(secret_echo, {"app.py": b"# \xff\xfe latin-1\n"})
    assert result.status is Verdict.REJECTED and "UTF-8" in result.message


def test_internal_error_when_hidden_tests_break(graded):
    """A teacher's broken tests are an internal error, never held against the learner"""
    broken = load_challenge(CHALLENGES / "broken-tests")
    result = graded(broken, {"app.py": SOLUTION})
    assert result.status is Verdict.INTERNAL_ERROR
    assert result.score == 0
    assert "not_a_module_anywhere" not in result.message


def test_results_stream_while_the_suite_runs(docker_engine):
    """Each test's result reaches the callback as it finishes, in order, before the end"""
    challenge = load_challenge(CHALLENGES / "slow-steps")
    arrivals: list[tuple[str, float]] = []
    lock = threading.Lock()

    def on_test(test):
        with lock:
            arrivals.append((test.id, time.monotonic()))

    result = grade_folder(challenge, challenge.solution_dir, on_test=on_test, backend="docker")
    finished = time.monotonic()
    assert result.status is Verdict.PASSED
    assert [a[0] for a in arrivals] == [t.id for t in result.tests]
    assert len(arrivals) == 4
    assert finished - arrivals[0][1] > 0.9, "the first result must arrive well before the end"
    gaps = [b[1] - a[1] for a, b in zip(arrivals, arrivals[1:])]
    assert all(gap > 0.2 for gap in gaps), gaps


def test_sandbox_isolation_properties(docker_engine):
    """Inside the sandbox: no network, no capabilities, unreadable tests, limits in force"""
    probe = load_challenge(CHALLENGES / "isolation-probe")
    result = grade(probe, read_folder(probe.solution_dir), backend="docker")
    failures = {t.title: t.message for t in result.tests if t.status != "passed"}
    assert result.status is Verdict.PASSED, failures
    assert len(result.tests) == 10
