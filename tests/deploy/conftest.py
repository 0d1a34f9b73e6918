"""The production topology as real processes on loopback: 2 web, 2 Celery workers, Redis, Postgres.

Each process is started the way the compose services start it (deploy/entrypoint.sh), with
its own instance folder, as if on its own host: they share only the database, Redis and the
secret key.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
# The repository root first, so `runner` and `grader` resolve to this checkout's packages.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import components
from deploy_topology import (
    ENTRYPOINT,
    LEARNERS,
    PASSWORD,
    TEACHER,
    Topology,
    create_learners,
    flask_cli,
    fresh_database,
    redis_database,
    server_env,
    stop_all,
    wait_until,
    web_ready,
    workers_ready,
)


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
            wait_until(lambda url=url: web_ready(url), 60, f"web process {url}", topo)
        wait_until(workers_ready(redis_url, workers), 60, "both Celery workers", topo)
        yield topo
    finally:
        stop_all(procs)
        for handle in handles:
            handle.close()
