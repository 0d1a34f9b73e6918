"""Clean stops in the scaled mode: a Celery worker hands its gradings to another, gunicorn lets go.

Real processes started the way compose starts them (deploy/entrypoint.sh) on PostgreSQL and Redis:
a worker told to stop (SIGTERM, Celery's warm shutdown) must not sit on a long grading until
compose kills it, and must not lose it either; a web process holds no grading work and must end
at once, telling its Socket.IO clients instead of leaving them hanging.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import components
import pytest
import requests
import socketio
from deploy_topology import (
    CHALLENGE,
    CHALLENGES_DIR,
    ENTRYPOINT,
    PASSWORD,
    Topology,
    flask_cli,
    fresh_database,
    redis_database,
    server_env,
    stop_all,
    wait_until,
    web_ready,
    workers_ready,
)
from sqlalchemy import create_engine, text

from runner.sandboxes import OWNER_LABEL

SOLUTION = (CHALLENGES_DIR / CHALLENGE / "solution" / "app.py").read_bytes()
LOAD_S = 30  # the slow solution takes this long to import: only a cancel ends its grading early
SLOW = f"import time\ntime.sleep({LOAD_S})\n".encode() + SOLUTION
STOP_WITHIN_S = 12  # well under LOAD_S, and gunicorn's own graceful timeout is 30 s


class Stack:
    """Server processes of one test, each with its own instance folder and log."""

    def __init__(self, tmp: Path, topology: Topology) -> None:
        self.tmp = tmp
        self.topology = topology
        self.procs: dict[str, subprocess.Popen] = {}
        self._handles: list[Any] = []

    def start(self, name: str, *args: str, **extra: str) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        handle = open(log, "wb")  # noqa: SIM115 - closed when the stack stops
        self._handles.append(handle)
        self.topology.logs[name] = log
        proc = subprocess.Popen(
            ["sh", str(ENTRYPOINT), *args], cwd=self.tmp, stdout=handle,
            stderr=subprocess.STDOUT,
            env={**self.topology.env, **extra, "GRADER_INSTANCE_PATH": str(self.tmp / name)})
        self.procs[name] = proc
        return proc

    def web(self, name: str) -> str:
        port = components.free_port()
        self.start(name, "web", GRADER_WEB_BIND=f"127.0.0.1:{port}")
        url = f"http://127.0.0.1:{port}"
        self.topology.web.append(url)
        wait_until(lambda: web_ready(url), 60, f"web process {name}", self.topology)
        return url

    def log(self, name: str) -> str:
        return self.topology.logs[name].read_text(errors="replace")

    def stop(self) -> None:
        stop_all(list(self.procs.values()))
        for handle in self._handles:
            handle.close()


@contextlib.contextmanager
def stack_for(tmp: Path, database: str, redis_url: str, image: str) -> Iterator[Stack]:
    """A migrated database with the test challenge, and a stack to start processes on it."""
    env = server_env(tmp, database, redis_url, image)
    env["GRADER_WORKERS"] = "1"  # one grading (and one warm sandbox) per worker
    operator = tmp / "operator"
    flask_cli(env, operator, "db", "upgrade")
    flask_cli(env, operator, "challenges", "sync", "--no-check")
    flask_cli(env, operator, "users", "create", "ann", "--role", "student", "--password-stdin",
              stdin=PASSWORD + "\n")
    stack = Stack(tmp, Topology(web=[], database_url=database, redis_url=redis_url, env=env,
                                workers=[]))
    try:
        yield stack
    finally:
        stack.stop()


def sandboxes_of(pid: int) -> list[str]:
    """Ids of the sandbox containers, in any state, that the process `pid` owns."""
    listed = subprocess.run(
        ["docker", "ps", "-a", "-q", "--filter", f"label={OWNER_LABEL}={socket.gethostname()}:{pid}"],
        capture_output=True, text=True, timeout=30, check=True)
    return listed.stdout.split()


def row_of(database: str, submission_id: int) -> Any:
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT status, score, attempts, (SELECT count(*) FROM test_outcomes "
                "WHERE submission_id = :id) AS tests FROM submissions WHERE id = :id"),
                {"id": submission_id}).one()
    finally:
        engine.dispose()


@pytest.mark.docker
@pytest.mark.redis
@pytest.mark.postgres
def test_a_stopped_worker_hands_its_grading_to_the_other_worker(
        docker_engine: str, redis_url: str, postgres_url: str, tmp_path: Path) -> None:
    from celery import Celery

    database = fresh_database(postgres_url, "worker_stop")
    broker = redis_database(redis_url, 4)
    with stack_for(tmp_path, database, broker, docker_engine) as stack:
        topo = stack.topology
        web = stack.web("web")
        names = {"worker-1": "worker1@stops", "worker-2": "worker2@stops"}
        for name, hostname in names.items():
            stack.start(name, "worker", "--hostname", hostname)
        topo.workers = list(names.values())
        wait_until(workers_ready(broker, topo.workers), 90, "both Celery workers", topo)

        token = requests.post(f"{web}/api/v1/tokens", timeout=10, json={
            "username": "ann", "password": PASSWORD}).json()["token"]
        response = requests.post(f"{web}/api/v1/submissions", timeout=20,
                                 headers={"Authorization": f"Bearer {token}"},
                                 data={"challenge": CHALLENGE}, files={"app.py": ("app.py", SLOW)})
        assert response.status_code == 202, response.text
        submission_id = response.json()["id"]

        # The worker that is grading it: the row is running and one worker holds an active job.
        inspector = Celery("stops-probe", broker=broker).control.inspect(
            destination=topo.workers, timeout=1.0)

        def grading_worker() -> tuple[str, str] | None:
            if row_of(database, submission_id).status != "running":
                return None
            busy = {host: jobs for host, jobs in (inspector.active() or {}).items() if jobs}
            if len(busy) != 1:
                return None
            (host, jobs), = busy.items()
            return host, jobs[0]["id"]

        host, job_id = wait_until(grading_worker, 60, "a worker to start grading", topo)
        grader = next(name for name, hostname in names.items() if hostname == host)
        other = next(name for name in names if name != grader)
        proc = stack.procs[grader]
        # Its first grading starts its sandboxes: the one grading and a warm one for the next.
        wait_until(lambda: len(sandboxes_of(proc.pid)) >= 2, 30, "the worker's sandboxes", topo)
        time.sleep(2)  # well into the learner app's slow start

        stopped_at = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        exit_code = proc.wait(STOP_WITHIN_S + 30)
        took = time.monotonic() - stopped_at
        assert exit_code == 0, stack.log(grader)
        assert took < STOP_WITHIN_S, f"the worker took {took:.1f} s to stop\n{stack.log(grader)}"
        log = stack.log(grader)
        assert f"submission {submission_id} goes back to the queue" in log, log
        assert f"grader.grade[{job_id}] reject requeue=True" in log, log
        # Its sandboxes, the one that was grading and the warm one, are gone with it.
        wait_until(lambda: not sandboxes_of(proc.pid), 15, "the stopped worker's sandboxes", topo)

        # The broker delivers the same job to the other worker, which grades it once more:
        # the interrupted attempt was given back, so this is attempt 1, not 2.
        def graded() -> Any:
            row = row_of(database, submission_id)
            return row if row.status not in ("queued", "running") else None

        # Generous: on a machine busy with other work, one grading can take minutes.
        final = wait_until(graded, LOAD_S + 300, "the other worker to grade the submission", topo)
        record = requests.get(f"{web}/api/v1/submissions/{submission_id}", timeout=10,
                              headers={"Authorization": f"Bearer {token}"}).json()
        assert (final.status, final.score, final.attempts, final.tests) == ("passed", 90, 1, 3), \
            f"{record}\n{topo.tail()}"
        assert f"grader.grade[{job_id}] received" in stack.log(other), stack.log(other)


class Watcher:
    """A Socket.IO client on /live that notes when it was disconnected."""

    def __init__(self, url: str, transport: str) -> None:
        self.gone = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("disconnect", lambda *_: self.gone.set(), namespace="/live")
        self.client.connect(url, namespaces=["/live"], transports=[transport], wait_timeout=20)


@pytest.mark.redis
@pytest.mark.postgres
def test_a_stopped_web_process_lets_its_live_clients_go_and_exits(
        redis_url: str, postgres_url: str, tmp_path: Path) -> None:
    database = fresh_database(postgres_url, "web_stop")
    with stack_for(tmp_path, database, redis_database(redis_url, 5), "unused") as stack:
        url = stack.web("web")
        watchers = [Watcher(url, "websocket") for _ in range(3)] + [Watcher(url, "polling")]
        proc = stack.procs["web"]

        stopped_at = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        exit_code = proc.wait(60)
        took = time.monotonic() - stopped_at
        log = stack.log("web")
        assert exit_code == 0, log
        assert took < STOP_WITHIN_S, f"gunicorn took {took:.1f} s to stop\n{log}"
        assert all(w.gone.wait(5) for w in watchers), "a live client was left hanging"
        assert "closed 4 live connection(s) on the way out" in log, log
        for watcher in watchers:
            watcher.client.disconnect()
