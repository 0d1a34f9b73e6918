"""Containers never outlive the grader: every path removes them, and a sweep removes the rest.

Against the real engine. Only containers these tests made are ever stopped or removed, and the
engine itself is never restarted: a sandbox killed from outside stands in for an engine restart.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import docker
import pytest

from runner import EngineUnavailable, RunnerError, RunnerSettings, Verdict, load_challenge
from runner import docker_engine as engine_module
from runner.sandboxes import (
    OWNER_LABEL,
    PIDNS_LABEL,
    STARTED_LABEL,
    DockerBackend,
    owner_gone,
    pid_namespace,
    process_started,
)

ROOT = Path(__file__).resolve().parents[2]
CHALLENGES = Path(__file__).parent / "challenges"

pytestmark = pytest.mark.docker


def sandboxes_of(pid: int) -> list:
    owner = f"{OWNER_LABEL}={socket.gethostname()}:{pid}"
    return docker.from_env().containers.list(all=True, sparse=True, filters={"label": owner})


def wait_until_none(pid: int, seconds: float) -> list:
    deadline = time.monotonic() + seconds
    left = sandboxes_of(pid)
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = sandboxes_of(pid)
    return left


GRADES_THEN_WAITS = textwrap.dedent('''
    import sys, time
    from runner import RunnerSettings, grade_folder, load_challenge
    challenge = load_challenge(sys.argv[1])
    settings = RunnerSettings(image=sys.argv[2], warm_sandboxes=2)
    def started(test):
        print("graded", test.id, flush=True)
        time.sleep(3600)  # keeps this sandbox in flight, and the warm ones waiting, until killed
    grade_folder(challenge, challenge.solution_dir, on_test=started, settings=settings)
''')


def test_a_killed_grader_leaves_no_container(docker_engine):
    """SIGKILL a process in the middle of a grading: its warm and in-flight sandboxes go away"""
    proc = subprocess.Popen([sys.executable, "-c", GRADES_THEN_WAITS,
                             str(CHALLENGES / "slow-steps"), docker_engine],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout.readline().startswith("graded"), "the grading did not start"
        deadline = time.monotonic() + 30
        while len(sandboxes_of(proc.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)  # the one in flight and the two warm ones
        assert len(sandboxes_of(proc.pid)) == 3
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    slow_steps = load_challenge(CHALLENGES / "slow-steps")
    left = wait_until_none(proc.pid, slow_steps.timeout_s + 30)
    assert not left, [(c.short_id, c.status) for c in left]


def test_a_failed_start_leaves_no_container(docker_engine, monkeypatch):
    """A container the engine creates but cannot start is removed at once, not left `Created`"""
    backend = DockerBackend(RunnerSettings(image=docker_engine, warm_sandboxes=0))
    original = engine_module.sandbox_options

    def unstartable(settings, memory_mb):
        options = original(settings, memory_mb)
        options["host"]["devices"] = ["/dev/no-such-device-here:/dev/x"]
        return options

    before = {c.id for c in sandboxes_of(os.getpid())}
    monkeypatch.setattr(engine_module, "sandbox_options", unstartable)
    with pytest.raises(RunnerError, match="could not start a sandbox container"):
        backend.engine.start(128, {"flask-grader.test": "failed-start"})
    made = [c for c in sandboxes_of(os.getpid()) if c.id not in before]
    assert made == []


def test_a_sandbox_that_died_while_warm_is_replaced(docker_engine):
    """A warm sandbox killed from outside (as an engine restart would) costs nothing"""
    backend = DockerBackend(RunnerSettings(image=docker_engine, warm_sandboxes=1))
    try:
        deadline = time.monotonic() + 30
        while backend.ready.empty() and time.monotonic() < deadline:
            time.sleep(0.1)
        warm = backend.ready.queue[0]
        docker.from_env().api.kill(warm.id)
        challenge = load_challenge(CHALLENGES / "secret-echo")
        result = _grade_with(backend, challenge)
        assert result.status is Verdict.PASSED, result.message
        assert warm.id not in [c.id for c in wait_until_none_of(warm.id, 15)]
    finally:
        backend.close()


def test_a_sandbox_killed_from_outside_mid_run_is_no_memory_verdict(docker_engine):
    """SIGKILL of a running sandbox by someone else: the grading is an outage to redo, never the
    learner's memory use (a kill by the kernel sends no kill event; this one does)"""
    import threading

    backend = DockerBackend(RunnerSettings(image=docker_engine, warm_sandboxes=0))
    killed: list[str] = []

    def kill_when_running() -> None:
        deadline = time.monotonic() + 60
        while not backend.running and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # inside the run, past the job's delivery
        for sandbox in list(backend.running):
            docker.from_env().api.kill(sandbox.id)
            killed.append(sandbox.id)

    killer = threading.Thread(target=kill_when_running, daemon=True)
    killer.start()
    try:
        with pytest.raises(EngineUnavailable, match="stopped from outside the grader"):
            _grade_with(backend, load_challenge(CHALLENGES / "slow-steps"))
    finally:
        killer.join(60)
        backend.close()
    assert killed, "no running sandbox was found to kill"


def wait_until_none_of(container_id: str, seconds: float) -> list:
    client = docker.from_env()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = client.containers.list(all=True, sparse=True, filters={"id": container_id})
        if not found:
            return []
        time.sleep(0.3)
    return found


def _grade_with(backend: DockerBackend, challenge):
    from runner.grading import run_job
    from runner.job import make_job
    from runner.submission import read_folder, with_starter

    job = make_job(challenge, with_starter(challenge, read_folder(challenge.solution_dir)))
    return run_job(challenge, job, backend, None)


def test_the_sweep_removes_only_sandboxes_of_processes_that_are_gone(docker_engine):
    """Any state, dead owner: removed. Live owner, a reused pid, another pid namespace: right"""
    client = docker.from_env()
    finished = subprocess.Popen(["true"])
    finished.wait()
    alive = subprocess.Popen(["sleep", "120"])
    host = socket.gethostname()
    made = []

    def make(pid: int, run: bool, started: str | None = None, namespace: str | None = "ours"):
        labels = {"flask-grader": "sandbox", OWNER_LABEL: f"{host}:{pid}"}
        if started is not None:
            labels[STARTED_LABEL] = started
        if namespace is not None:
            labels[PIDNS_LABEL] = pid_namespace() if namespace == "ours" else namespace
        container = client.containers.create(docker_engine, entrypoint=["sleep", "120"],
                                             labels=labels, network_mode="none")
        made.append(container.id)
        if run:
            container.start()
        return container.id

    try:
        removed = {make(finished.pid, run=False), make(finished.pid, run=True),
                   make(alive.pid, run=False, started="1"),  # a different process had that pid
                   make(finished.pid, run=False, namespace=None)}  # older label, stopped
        kept = {make(alive.pid, run=True, started=process_started(alive.pid)),
                make(finished.pid, run=True, namespace="pid:[1]"),  # a pid of another namespace
                make(finished.pid, run=True, namespace=None)}  # older label, still running
        backend = DockerBackend(RunnerSettings(image=docker_engine, warm_sandboxes=0))
        backend.close()
        remaining = {c.id for c in client.containers.list(all=True, sparse=True)}
        assert removed & remaining == set()
        assert kept <= remaining
        assert owner_gone({OWNER_LABEL: f"elsewhere:{finished.pid}"}) is False
    finally:
        alive.kill()
        alive.wait()
        for container_id in made:
            try:
                client.api.remove_container(container_id, force=True)
            except docker.errors.NotFound:
                pass


def test_a_graded_run_leaves_nothing(docker_engine, monkeypatch):
    """The sandbox of a grading and the warm one are both gone after the backend's close"""
    mine: set[str] = set()
    original = engine_module.Engine.start

    def start(self, memory_mb, labels):
        sandbox = original(self, memory_mb, labels)
        mine.add(sandbox.id)
        return sandbox

    monkeypatch.setattr(engine_module.Engine, "start", start)
    backend = DockerBackend(RunnerSettings(image=docker_engine, warm_sandboxes=1))
    try:
        result = _grade_with(backend, load_challenge(CHALLENGES / "secret-echo"))
        assert result.status is Verdict.PASSED
    finally:
        backend.close()
    assert len(mine) >= 2  # the graded one and at least one warm one
    client = docker.from_env()
    deadline = time.monotonic() + 15
    while mine and time.monotonic() < deadline:
        mine &= {c.id for c in client.containers.list(all=True, sparse=True)}
        time.sleep(0.3)
    assert mine == set()
