"""The trusted side's rules, without Docker: what a hint may say, the wire's limits, verdicts."""

from __future__ import annotations

import socket
import struct
import threading

import pytest

from runner.challenge import Challenge
from runner.harness import wire
from runner.harness.hints import LearnerFacts
from runner.job import SandboxExit
from runner.model import Verdict
from runner.results import Collector, decide


@pytest.fixture
def facts(tmp_path) -> LearnerFacts:
    (tmp_path / "app.py").write_text("class OutOfStock(Exception):\n    pass\n\n\nx = 1\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "views.py").write_text("def f():\n    raise ValueError('x')\n")
    found = LearnerFacts(app_dir=str(tmp_path), entry="app:create_app")
    found.learn_app({"rules": ["/items/<int:item_id>", "/", "/<weird(x):y>", 42],
                     "commands": ["seed", "not a name"]})
    return found


def error(kind: str, file: object = "app.py", line: object = 2, code: str = "") -> dict:
    return {"type": kind, "message": "secret-input-1234", "traceback": "Traceback ...",
            "file": file, "line": line, "code": code}


@pytest.mark.parametrize("kind, file, line, shown", [
    ("ValueError", "app.py", 2, "ValueError in app.py, line 2"),
    ("OutOfStock", "pkg/views.py", 2, "OutOfStock in pkg/views.py, line 2"),
    ("NotFound", "app.py", 5, "NotFound in app.py, line 5"),
    ("Leak_secret_input_1234", "app.py", 2, "an exception in app.py, line 2"),
    ("ValueError", "app.py", 6, "ValueError"),
    ("ValueError", "/etc/passwd", 1, "ValueError"),
    ("ValueError", "app.py", "2", "ValueError"),
])
def test_a_hint_names_only_what_can_be_checked(facts, kind, file, line, shown):
    report = facts.describe(error(kind, file, line))
    assert report.cause_public == shown
    assert "secret-input-1234" not in report.cause_public
    assert report.cause_full == f"{kind}: secret-input-1234"


def test_coded_failures_are_said_by_the_harness(facts):
    report = facts.describe(error("CodedError", code="no_entry"))
    assert report.coded and report.cause_public == (
        "app.py has no 'create_app'; the challenge expects app:create_app")
    assert "secret-input-1234" in report.cause_full


def test_requests_are_named_by_their_rule(facts):
    doing = facts.request("GET", "/items/7", "/items/7?token=abc")
    assert (doing.public, doing.full) == ("GET /items/<int:item_id>", "GET /items/7?token=abc")
    assert facts.request("POST", "/nowhere/secret", "/nowhere/secret").public == "a POST request"
    assert facts.rules == ["/items/<int:item_id>", "/", "/<weird(x):y>"]


def test_commands_are_named_only_when_the_app_has_them(facts):
    assert facts.command(["seed", "secret"]).public == "`flask seed`"
    assert facts.command(["secret-command"]).public == "a `flask` command"
    assert facts.command(["seed", "secret"]).full == "`flask seed secret`"


def frame(payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + payload


@pytest.mark.parametrize("payload, reason", [
    (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
    (b"[" + b"0," * 1_100_000 + b"0]", "more than"),
    (b"{not json", "not JSON"),
])
def test_the_wire_refuses_what_would_hurt_the_reader(payload, reason):
    ours, theirs = socket.socketpair()
    sender = threading.Thread(target=theirs.sendall, args=(frame(payload),))
    sender.start()  # more than a socket buffer: the reader must read while it is sent
    with ours, theirs:
        with pytest.raises(wire.WireError, match=reason):
            wire.recv(ours)
        sender.join(10)


@pytest.fixture
def challenge(tmp_path) -> Challenge:
    return Challenge(path=tmp_path, slug="c", title="c", concepts=(), timeout_s=5, memory_mb=64)


def collected(statuses: list[str], done: dict | None = None) -> Collector:
    collector = Collector("n", None, 100)
    collector.plan = {f"t{i}": {"title": f"t{i}", "max_points": 10} for i in range(len(statuses))}
    for i, status in enumerate(statuses):
        collector._accept({"type": "test", "id": f"t{i}", "title": f"t{i}", "status": status})
    if done is not None:
        collector.done = {"type": "done", **done}
    return collector


def test_a_completed_run_takes_its_verdict_from_the_tests(challenge):
    # a learner process was killed for memory on purpose, yet every test passed
    ended = SandboxExit(exit_code=0, oom_killed=True)
    assert decide(collected(["passed", "passed"], {"memory": True}), ended,
                  challenge).verdict is Verdict.PASSED
    assert decide(collected(["passed", "memory"], {}), ended, challenge).verdict is Verdict.MEMORY
    assert decide(collected(["memory", "timeout"], {}), ended,
                  challenge).verdict is Verdict.TIMEOUT
    assert decide(collected(["passed", "failed"], {}), ended, challenge).verdict is Verdict.FAILED


def test_a_run_that_did_not_complete_keeps_run_level_verdicts(challenge):
    assert decide(collected(["passed"]), SandboxExit(oom_killed=True),
                  challenge).verdict is Verdict.MEMORY
    assert decide(collected(["passed"]), SandboxExit(timed_out=True),
                  challenge).verdict is Verdict.TIMEOUT
    assert decide(collected(["passed"]), SandboxExit(exit_code=1), challenge).verdict is Verdict.ERROR


def test_a_completion_without_every_test_is_a_grader_fault(challenge):
    collector = collected(["passed"], {})
    collector.plan["t9"] = {"title": "t9", "max_points": 10}
    assert decide(collector, SandboxExit(exit_code=3), challenge).verdict is Verdict.INTERNAL_ERROR


def test_a_load_error_keeps_its_kind_and_its_detail(challenge):
    done = {"load_error": "Your app was stopped", "load_detail": "full text", "load_status": "memory"}
    decision = decide(collected(["error"], done), SandboxExit(exit_code=0), challenge)
    assert (decision.verdict, decision.message, decision.detail) == (
        Verdict.MEMORY, "Your app was stopped", "full text")
