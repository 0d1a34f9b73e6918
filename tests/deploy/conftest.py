"""The production topology as real processes on loopback: 2 web, 2 Celery workers, Redis, Postgres.

Each process is started the way the compose services start it (deploy/entrypoint.sh), with
its own instance folder, as if on its own host: they share only the database, Redis and the
secret key.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).parent))
# The repository root first, so `runner` and `grader` resolve to this checkout's packages.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import components  # noqa: E402
from deploy_topology import (  # noqa: E402
    CHALLENGES_DIR,
    ENTRYPOINT,
    LEARNERS,
    PASSWORD,
    ROOT,
    TEACHER,
    Topology,
    fresh_database,
    redis_database,
)


def server_env(tmp: Path, database_url: str, redis_url: str, image: str) -> dict[str, str]:
    """The environment every server process shares (the .env of compose)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    env.update({
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "GRADER_QUEUE": "celery",
        "GRADER_DATABASE_URL": database_url,
        "GRADER_REDIS_URL": redis_url,
        "GRADER_SECRET_KEY": "topology-secret-key-0123456789",
        "GRADER_BACKEND": "docker",
        "GRADER_RUNNER_IMAGE": image,
        "GRADER_CHALLENGES_DIR": str(CHALLENGES_DIR),
        "GRADER_WORKERS": "2",
        "GRADER_WEB_THREADS": "40",
        "GRADER_LOG_LEVEL": "INFO",
    })
    return env


def flask_cli(env: dict[str, str], instance: Path, *args: str, stdin: str | None = None) -> str:
    """`flask --app grader ARGS` as an operator runs it; fails the test with its output."""
    result = subprocess.run(["flask", "--app", "grader", *args], env={
        **env, "GRADER_INSTANCE_PATH": str(instance)}, input=stdin, capture_output=True,
        text=True, timeout=180, cwd=ROOT, check=False)
    if result.returncode != 0:
        pytest.fail(f"flask --app grader {' '.join(args)} exited {result.returncode}:\n"
                    f"{result.stdout}\n{result.stderr}", pytrace=False)
    return result.stdout


CREATE_LEARNERS = """
import sys
from grader import create_app

app = create_app()
cli = app.test_cli_runner()
for i in range(1, int(sys.argv[1]) + 1):
    result = cli.invoke(args=["users", "create", f"learner{i:02d}", "--role", "student",
                              "--password-stdin"], input=sys.argv[2] + "\\n")
    if result.exit_code != 0:
        sys.exit(f"users create learner{i:02d}: {result.output}")
"""


def create_learners(env: dict[str, str], instance: Path, count: int) -> None:
    """learner01..learnerNN via `flask --app grader users create`, run in one process."""
    result = subprocess.run([sys.executable, "-c", CREATE_LEARNERS, str(count), PASSWORD],
                            env={**env, "GRADER_INSTANCE_PATH": str(instance)},
                            capture_output=True, text=True, timeout=180, cwd=ROOT, check=False)
    if result.returncode != 0:
        pytest.fail(f"creating learners failed:\n{result.stdout}\n{result.stderr}", pytrace=False)


def _stop_all(procs: list[subprocess.Popen]) -> None:
    """A graceful stop (workers finish their jobs and remove their warm sandboxes), in parallel."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    for proc in procs:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _wait_until(check: Callable[[], bool], timeout: float, what: str, topo: Topology) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}\n{topo.tail()}", pytrace=False)


def _web_ready(url: str) -> bool:
    try:
        return requests.get(f"{url}/api/v1/status", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _workers_ready(redis_url: str, names: list[str]) -> Callable[[], bool]:
    from celery import Celery

    probe = Celery("topology-probe", broker=redis_url)

    def check() -> bool:
        replies = probe.control.ping(destination=names, timeout=1.0)
        return {name for reply in replies for name in reply} == set(names)

    return check


@pytest.fixture(scope="module")
def topology(docker_engine: str, redis_url: str, postgres_url: str,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    """Migrated database, one synced challenge, 20 learners and a teacher, all processes up."""
    tmp = tmp_path_factory.mktemp("topology")
    postgres_url = fresh_database(postgres_url, "topology")
    redis_url = redis_database(redis_url, 1)
    env = server_env(tmp, postgres_url, redis_url, docker_engine)

    # The migrate service: schema, then the challenge (its validation is a test of its own).
    operator = tmp / "operator"
    flask_cli(env, operator, "db", "upgrade")
    flask_cli(env, operator, "challenges", "sync", "--no-check")

    ports = [components.free_port(), components.free_port()]
    workers = ["worker1@topology", "worker2@topology"]
    topo = Topology(web=[f"http://127.0.0.1:{p}" for p in ports], database_url=postgres_url,
                    redis_url=redis_url, env=env, workers=workers)
    procs: list[subprocess.Popen] = []
    handles = []
    try:
        for name, args, extra in [
            ("web-a", ["web"], {"GRADER_WEB_BIND": f"127.0.0.1:{ports[0]}"}),
            ("web-b", ["web"], {"GRADER_WEB_BIND": f"127.0.0.1:{ports[1]}"}),
            ("worker-1", ["worker", "--hostname", workers[0]], {}),
            ("worker-2", ["worker", "--hostname", workers[1]], {}),
        ]:
            log = tmp / f"{name}.log"
            handle = open(log, "wb")  # noqa: SIM115 - closed after the process ends
            handles.append(handle)
            topo.logs[name] = log
            procs.append(subprocess.Popen(
                ["sh", str(ENTRYPOINT), *args], cwd=tmp,
                env={**env, **extra, "GRADER_INSTANCE_PATH": str(tmp / name)},
                stdout=handle, stderr=subprocess.STDOUT))
        # While they start: the teacher through `flask` itself, the learners through the same
        # click command invoked in one process (which spares twenty app start-ups).
        with ThreadPoolExecutor(2) as pool:
            jobs = [pool.submit(flask_cli, env, operator, "users", "create", TEACHER, "--role",
                                "teacher", "--password-stdin", stdin=PASSWORD + "\n"),
                    pool.submit(create_learners, env, operator, LEARNERS)]
            for job in jobs:
                job.result()
        for url in topo.web:
            _wait_until(lambda url=url: _web_ready(url), 60, f"web process {url}", topo)
        _wait_until(_workers_ready(redis_url, workers), 60, "both Celery workers", topo)
        yield topo
    finally:
        _stop_all(procs)
        for handle in handles:
            handle.close()
