"""The web/worker image builds offline, and its services work as compose runs them.

The containers use the host's network (to reach the tests' loopback Redis and PostgreSQL) and
otherwise the settings of compose.yaml: the instance folder on a named volume, the Docker socket
with its group added to the unprivileged user of the worker only, the `migrate`, `web` and
`worker` commands.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import components
import pytest
import requests
import yaml
from deploy_topology import CHALLENGES_DIR, ROOT, fresh_database, redis_database

sys.path.insert(0, str(ROOT / "deploy"))

import build_images  # noqa: E402

pytestmark = [pytest.mark.docker, pytest.mark.redis, pytest.mark.postgres]
TAG = "flask-grader-app:test"
SOCKET = "/var/run/docker.sock"
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def docker(*args: str, check: bool = True, timeout: float = 180,
           stdin: str | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout,
                            input=stdin, check=False)
    if check and result.returncode != 0:
        pytest.fail(f"docker {' '.join(args)} exited {result.returncode}:\n"
                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}", pytrace=False)
    return result


@dataclass
class Stack:
    """The running server containers."""

    url: str
    web: str
    worker: str
    volume: str


@pytest.fixture(scope="module")
def app_image(docker_engine: str) -> str:
    """The server image, built the way deploy/build_images.py builds it."""
    build_images.build_app_image(TAG, progress=lambda line: None)
    return TAG


@pytest.fixture(scope="module")
def stack(app_image: str, docker_engine: str, redis_url: str,
          postgres_url: str) -> Iterator[Stack]:
    """migrate (to completion), then web and worker, on a fresh instance volume."""
    volume = f"grader-test-{secrets.token_hex(4)}"
    port = components.free_port()
    settings = {"GRADER_QUEUE": "celery", "GRADER_REDIS_URL": redis_database(redis_url, 2),
                "GRADER_DATABASE_URL": fresh_database(postgres_url, "image_stack"),
                "GRADER_RUNNER_IMAGE": docker_engine,
                "GRADER_SECRET_KEY": "image-test-secret-0123456789",
                "GRADER_SYNC_OPTIONS": "--no-check", "GRADER_WEB_BIND": f"127.0.0.1:{port}"}
    options = ["--network", "host", "-v", f"{volume}:/var/lib/grader"]
    for name, value in settings.items():
        options += ["-e", f"{name}={value}"]
    # As in compose.yaml: only the worker holds the Docker socket.
    sandbox_access = ["-v", f"{SOCKET}:{SOCKET}", "--group-add", str(os.stat(SOCKET).st_gid)]
    docker("volume", "create", volume)
    containers: list[str] = []
    try:
        migrate = docker("run", "--rm", *options, app_image, "migrate")
        assert "challenges ready" in migrate.stdout, migrate.stdout
        containers.append(docker("run", "-d", *options, app_image, "web").stdout.strip())
        containers.append(docker("run", "-d", *options, *sandbox_access, app_image,
                                 "worker").stdout.strip())
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not _answers(f"{url}/api/v1/status"):
            if time.monotonic() > deadline:
                pytest.fail(docker("logs", containers[0], check=False).stderr[-3000:],
                            pytrace=False)
            time.sleep(0.3)
        yield Stack(url=url, web=containers[0], worker=containers[1], volume=volume)
    finally:
        for container in containers:
            docker("stop", "-t", "30", container, check=False)
            docker("rm", "-f", container, check=False)
        docker("volume", "rm", "-f", volume, check=False)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def health_check(service: str) -> list[str]:
    """compose's health check of a service, as the argv `docker exec` runs."""
    test = COMPOSE["services"][service]["healthcheck"]["test"]
    if test[0] == "CMD-SHELL":
        return ["sh", "-c", test[1].replace("$$", "$")]
    return test[1:]


def test_image_runs_as_an_unprivileged_user_with_the_server_tools(app_image: str) -> None:
    result = docker("run", "--rm", app_image, "sh", "-c",
                    "id -u && flask --app grader --help && celery --version && gunicorn --version")
    uid, _, rest = result.stdout.partition("\n")
    assert uid.strip() != "0"
    for group in ("db", "users", "challenges", "runner"):
        assert group in rest
    labels = json.loads(docker("image", "inspect", app_image).stdout)[0]["Config"]["Labels"]
    assert labels["org.opencontainers.image.title"] == "flask-grader-app"


@pytest.mark.parametrize("role", ["web", "worker"])
def test_a_wrong_setting_stops_a_service_with_one_clear_line(app_image: str, role: str) -> None:
    result = docker("run", "--rm", "--network", "none", "-e", "GRADER_QUEUE=bogus", app_image,
                    role, check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: GRADER_QUEUE must be one of thread, celery, got 'bogus'"


def test_health_check_fails_when_nothing_answers(app_image: str) -> None:
    down = docker("run", "--rm", "--network", "none", app_image, "health", "web", check=False)
    assert down.returncode != 0
    assert "Connection refused" in down.stderr
    wrong = docker("run", "--rm", "--network", "none", app_image, "health", "nothing",
                   check=False)
    assert wrong.returncode == 2
    assert "usage: grader-entrypoint health web|worker" in wrong.stderr


def test_services_serve_the_bundled_challenges_and_grade_in_the_sandbox(stack: Stack) -> None:
    bundled = sorted(p.name for p in (ROOT / "challenges").iterdir()
                     if (p / "challenge.toml").is_file())
    listed = requests.get(f"{stack.url}/api/v1/challenges", timeout=10).json()["challenges"]
    assert sorted(c["slug"] for c in listed) == bundled

    # An operator command in the running service, as docs/operations.md shows it.
    docker("exec", "-i", stack.web, "flask", "--app", "grader", "users", "create", "ann",
           "--password-stdin", stdin="ann-password-1\n")
    token = requests.post(f"{stack.url}/api/v1/tokens", timeout=10, json={
        "username": "ann", "password": "ann-password-1"}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    solution = (ROOT / "challenges" / "hello-flask" / "solution" / "app.py").read_bytes()
    posted = requests.post(f"{stack.url}/api/v1/submissions", headers=auth, timeout=20,
                           data={"challenge": "hello-flask"},
                           files={"app.py": ("app.py", solution)})
    assert posted.status_code == 202, posted.text
    deadline = time.monotonic() + 120
    while True:
        record = requests.get(f"{stack.url}/api/v1/submissions/{posted.json()['id']}",
                              headers=auth, timeout=10).json()
        if record["status"] not in ("queued", "running") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    # The worker container, as its unprivileged user, started the sandbox on the host's engine.
    assert (record["status"], record["score"]) == ("passed", record["max_score"]), (
        record, docker("logs", "--tail", "40", stack.worker, check=False).stderr)
    assert record["tests"] and all(t["status"] == "passed" for t in record["tests"])


@pytest.mark.parametrize("service", ["web", "worker"])
def test_compose_health_checks_pass(stack: Stack, service: str) -> None:
    container = stack.web if service == "web" else stack.worker
    # Like compose: a check may fail while the service starts (its start_period), then passes.
    deadline = time.monotonic() + 60
    while True:
        result = docker("exec", container, *health_check(service), check=False, timeout=60)
        if result.returncode == 0 or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert result.returncode == 0, result.stderr


def test_migrate_leaves_the_checks_to_a_worker_by_default(app_image: str, docker_engine: str,
                                                          redis_url: str,
                                                          postgres_url: str) -> None:
    """The migration job has no Docker socket: a worker validates the challenges it stored."""
    volume = f"grader-test-{secrets.token_hex(4)}"
    env = ["-e", "GRADER_CHALLENGES_DIR=/challenges", "-e", f"GRADER_RUNNER_IMAGE={docker_engine}",
           "-e", "GRADER_SECRET_KEY=image-test-secret-0123456789", "-e", "GRADER_QUEUE=celery",
           "-e", f"GRADER_REDIS_URL={redis_database(redis_url, 3)}",
           "-e", f"GRADER_DATABASE_URL={fresh_database(postgres_url, 'image_checks')}"]
    common = ["--network", "host", "-v", f"{volume}:/var/lib/grader",
              "-v", f"{CHALLENGES_DIR}:/challenges:ro", *env]
    worker = None
    try:
        result = docker("run", "--rm", *common, app_image, "migrate", check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "queued scale-greeting (new v1)" in result.stdout
        worker = docker("run", "-d", *common, "-v", f"{SOCKET}:{SOCKET}",
                        "--group-add", str(os.stat(SOCKET).st_gid), app_image,
                        "worker").stdout.strip()
        deadline = time.monotonic() + 180
        line = ""
        while time.monotonic() < deadline:
            listed = docker("run", "--rm", *common, app_image, "flask", "--app", "grader",
                            "challenges", "list").stdout
            line = listed.split("scale-greeting", 1)[1].splitlines()[0]
            if "published" in line:
                break
            time.sleep(2)
        # Published: the worker graded the solution (full points), the starter and mutant (less).
        assert "published" in line, docker("logs", worker, check=False).stderr[-3000:]
    finally:
        if worker:
            docker("rm", "-f", worker, check=False)
        docker("volume", "rm", "-f", volume, check=False)


def test_challenge_store_backup_command_of_the_guide(stack: Stack, app_image: str,
                                                     tmp_path: Path) -> None:
    docker("run", "--rm", "-v", f"{stack.volume}:/data:ro", "-v", f"{tmp_path}:/backup",
           "--user", "root", app_image, "tar", "-C", "/data", "-czf",
           "/backup/challenge-store.tgz", ".")
    listing = subprocess.run(["tar", "-tzf", str(tmp_path / "challenge-store.tgz")],
                             capture_output=True, text=True, check=True).stdout
    assert "./challenge_store/hello-flask/v1/challenge.toml" in listing
