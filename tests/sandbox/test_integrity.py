"""Grading integrity in the real sandbox: verdicts follow the tests, hints hold no hidden input,
and the trusted side survives whatever the learner's process sends or does."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hostile_code import HIDDEN_INPUT_ATTACKS, TRUST_ATTACKS

from runner import RunnerSettings, Verdict, grade_folder, load_challenge
from runner.check import check_challenge, format_table

CHALLENGES = Path(__file__).parent / "challenges"
MARKER = "kumquat0931"

pytestmark = pytest.mark.docker


def by_name(result) -> dict:
    return {t.id.split("::")[1]: t for t in result.tests}


def test_limits_probed_on_purpose_do_not_spoil_a_valid_challenge(docker_engine):
    """A solution whose tests expect the kernel's kill passes; a hog elsewhere is `memory`"""
    report = check_challenge(CHALLENGES / "limit-probes", backend="docker")
    assert report.ok, format_table(report)
    rows = {row.name: row.result for row in report.rows}
    solution = rows["solution"]
    assert solution.status is Verdict.PASSED and solution.score == 100
    assert [t.status for t in solution.tests] == ["passed"] * 4
    hog = rows["mutants/memory-hog"]
    assert hog.status is Verdict.MEMORY, (hog.status, hog.message)
    index = by_name(hog)["test_index"]
    assert index.status == "memory" and "more memory than the limit of 128 MB" in index.message
    assert by_name(hog)["test_disk_limit"].status == "passed"


def test_hints_hold_no_hidden_input_but_teachers_see_it(graded, hidden_inputs):
    """Every channel echoes the hidden value: the learner's record never shows it, the detail does"""
    result = graded(hidden_inputs, HIDDEN_INPUT_ATTACKS["echo-hidden-inputs"])
    learner_view = json.dumps(result.to_dict())
    assert MARKER not in learner_view and "kumquat" not in learner_view.lower()
    tests = by_name(result)
    assert tests["test_path"].message == ("Your code raised an exception in app.py, line 13 "
                                          "(during GET /items/<name>)")
    assert tests["test_query"].message.endswith("(during GET /echo)")
    assert tests["test_call"].message.endswith("(during a call of app.shout())")
    assert tests["test_json_reply"].message == "The response is not JSON"
    assert tests["test_command"].message == "Your app's process stopped during `flask greet`"
    assert tests["test_environment"].message.endswith("(during the import of app:create_app)")
    assert tests["test_live_server"].message == "the real server should echo too"
    # teachers: the same record with detail=True has the full text of every failure
    for name in ("test_query", "test_path", "test_body_and_header", "test_json_reply",
                 "test_call", "test_eval", "test_command", "test_environment"):
        assert MARKER in tests[name].detail, (name, tests[name].detail)
    assert MARKER in json.dumps(result.to_dict(detail=True))


def test_full_feedback_shows_the_failure_text(graded, hidden_inputs):
    """With feedback = "full" the learner sees what the teacher sees"""
    full = dataclasses.replace(hidden_inputs, feedback="full")
    result = graded(full, HIDDEN_INPUT_ATTACKS["echo-hidden-inputs"])
    tests = by_name(result)
    assert MARKER in tests["test_path"].message and "Leakkumquat0931" in tests["test_path"].message
    assert all(t.message == t.detail for t in result.tests if t.status != "passed")


def test_a_hang_names_the_rule_not_the_url(graded, hidden_inputs):
    """A time-out during a request names the route, not the hidden path"""
    result = graded(hidden_inputs, HIDDEN_INPUT_ATTACKS["hang-on-hidden-input"])
    assert result.status is Verdict.TIMEOUT
    path = by_name(result)["test_path"]
    assert path.status == "timeout"
    assert path.message.startswith("Your app did not answer in time during GET /items/<name>")
    assert MARKER in path.detail and "kumquat" not in json.dumps(result.to_dict())


def test_live_server_only_on_the_sandbox_loopback(graded, hidden_inputs):
    """A learner process that names another address for its server fails that test only"""
    result = graded(hidden_inputs, HIDDEN_INPUT_ATTACKS["fake-live-server-url"])
    live = by_name(result)["test_live_server"]
    assert live.status == "error"
    assert live.message == "Your app's process did not start a server on 127.0.0.1"
    assert "10.1.2.3" in live.detail


@pytest.mark.parametrize("attack, reason", [("deep-json-reply", "nested too deeply"),
                                            ("huge-json-reply", "more than 1000000 values")])
def test_forged_replies_fail_their_test_cleanly(graded, secret_echo, attack, reason):
    """Deeply nested or huge JSON from the learner fails that test, and only that one"""
    result = graded(secret_echo, TRUST_ATTACKS[attack])
    assert result.status is Verdict.FAILED and result.score == 80
    tests = by_name(result)
    assert tests["test_sum"].status == "error"
    assert tests["test_sum"].message == "Your app's process stopped during GET /sum"
    assert reason in tests["test_sum"].detail
    assert [t.status for n, t in tests.items() if n != "test_sum"] == ["passed"] * 3


def test_a_forged_reply_at_import_is_a_load_error(graded, secret_echo):
    """The same forgery while the app loads is an `error` verdict, not a grader fault"""
    result = graded(secret_echo, TRUST_ATTACKS["deep-json-at-import"])
    assert result.status is Verdict.ERROR
    assert result.message == "Your app's process stopped during the import of app:create_app"
    assert all(t.status == "error" and "Not run" not in t.message for t in result.tests)


def test_trusted_side_hardening(docker_engine):
    """Seccomp denials, an untraceable fork server, escaped processes killed, no inheritance"""
    probe = load_challenge(CHALLENGES / "hardening-probe")
    result = grade_folder(probe, probe.solution_dir, backend="docker")
    failures = {t.title: t.detail for t in result.tests if t.status != "passed"}
    assert result.status is Verdict.PASSED, failures
    assert len(result.tests) == 6


def test_the_profile_is_what_denies_the_calls(docker_engine):
    """Without the project's profile (the engine's default), some of those calls get through"""
    probe = load_challenge(CHALLENGES / "hardening-probe")
    settings = RunnerSettings(image=docker_engine, warm_sandboxes=0, seccomp=False)
    result = grade_folder(probe, probe.solution_dir, backend="docker", settings=settings)
    calls = by_name(result)["test_denied_system_calls"]
    assert calls.status == "failed", calls.detail
    assert "'io_uring_setup': 'ok'" in calls.detail or "'ptrace': 'ok'" in calls.detail, \
        calls.detail

