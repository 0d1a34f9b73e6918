"""The sandbox under gVisor (GRADER_SANDBOX_RUNTIME=runsc): the probes and a few attacks.

The whole adversarial suite runs under gVisor too when the environment selects it
(`GRADER_SANDBOX_RUNTIME=runsc .venv/bin/python -m pytest tests/sandbox/test_adversarial.py`);
this module keeps gVisor covered on every run, briefly.
"""

from __future__ import annotations

import json
from pathlib import Path

import components
import pytest
from hostile_code import HIDDEN_INPUT_ATTACKS, TRUST_ATTACKS
from test_adversarial import ATTACKS

from runner import RunnerSettings, Verdict, grade, grade_folder, load_challenge
from runner.docker_engine import probe

CHALLENGES = Path(__file__).parent / "challenges"
# What gVisor 20221219 shows of other uids' processes that Linux does not (security.md says so)
GVISOR_GAPS = {"The learner has no capabilities and cannot gain any",
               "Processes of other uids cannot be signalled or inspected"}

pytestmark = [pytest.mark.docker, pytest.mark.runsc]


@pytest.fixture(scope="module")
def runsc(docker_engine) -> RunnerSettings:
    """Sandbox settings on gVisor; fails under CI when the engine has no runsc runtime."""
    settings = RunnerSettings(image=docker_engine, runtime="runsc", warm_sandboxes=1)
    ok, message = probe(settings)
    if not ok:
        components.missing("gVisor (runsc)", message)
    return settings


def run(challenge, files: dict[str, str], settings: RunnerSettings):
    return grade(challenge, {k: v.encode() for k, v in files.items()}, settings=settings)


def test_hardening_holds_under_gvisor(runsc):
    """Seccomp denials, untraceable fork server, escapes killed, nothing inherited"""
    challenge = load_challenge(CHALLENGES / "hardening-probe")
    result = grade_folder(challenge, challenge.solution_dir, settings=runsc)
    assert result.status is Verdict.PASSED, {t.title: t.detail for t in result.tests}


def test_isolation_under_gvisor(runsc):
    """Network, uid, files, limits and descriptors as under runc, but for the known gaps"""
    challenge = load_challenge(CHALLENGES / "isolation-probe")
    result = grade_folder(challenge, challenge.solution_dir, settings=runsc)
    failed = {t.title for t in result.tests if t.status != "passed"}
    assert failed == GVISOR_GAPS, {t.title: t.detail for t in result.tests}


def test_verdicts_under_gvisor(runsc, secret_echo):
    """Full points, a hint for a wrong answer, memory and time limits"""
    solution = (secret_echo.solution_dir / "app.py").read_text()
    assert run(secret_echo, {"app.py": solution}, runsc).score == 100
    wrong = run(secret_echo, {"app.py": solution.replace(" + request.args", " - request.args")},
                runsc)
    assert (wrong.status, wrong.score) == (Verdict.FAILED, 80)
    assert "2 + 3 should be 5" in [t.message for t in wrong.tests]
    assert run(secret_echo, ATTACKS["memory-bomb"], runsc).status is Verdict.MEMORY
    assert run(secret_echo, ATTACKS["busy-loop"], runsc).status is Verdict.TIMEOUT


@pytest.mark.parametrize("name", ["kill-every-process", "fake-lines-into-every-fd",
                                  "walk-for-hidden-tests", "deep-json-reply", "steal-the-nonce"])
def test_attacks_do_not_win_under_gvisor(runsc, secret_echo, name):
    """A few attacks, under gVisor: none scores full points or breaks the grader"""
    result = run(secret_echo, {**ATTACKS, **TRUST_ATTACKS}[name], runsc)
    assert result.score < result.max_score and result.status is not Verdict.INTERNAL_ERROR
    assert next(t for t in result.tests if t.id.endswith("test_sum")).status != "passed"


def test_hidden_inputs_stay_hidden_under_gvisor(runsc, hidden_inputs):
    """The echoing submission learns nothing under gVisor either"""
    result = run(hidden_inputs, HIDDEN_INPUT_ATTACKS["echo-hidden-inputs"], runsc)
    assert result.score == 0 and "kumquat" not in json.dumps(result.to_dict())
