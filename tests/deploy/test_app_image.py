"""The web/worker image builds offline, and its roles work as compose runs them."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import components
import pytest
import requests
import yaml
from deploy_topology import ROOT

sys.path.insert(0, str(ROOT / "deploy"))

import build_images  # noqa: E402

pytestmark = pytest.mark.docker
TAG = "flask-grader-app:test"


def docker(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout,
                            check=False)
    if check and result.returncode != 0:
        pytest.fail(f"docker {' '.join(args)} exited {result.returncode}:\n"
                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}", pytrace=False)
    return result


@pytest.fixture(scope="module")
def app_image(docker_engine: str) -> str:
    """The server image, built the way deploy/build_images.py builds it."""
    build_images.build_app_image(TAG, progress=lambda line: None)
    return TAG


@pytest.fixture(scope="module")
def instance_volume(app_image: str) -> Iterator[str]:
    """A fresh named volume for the instance folder (compose's challenge-store), migrated once."""
    name = f"grader-test-{secrets.token_hex(4)}"
    docker("volume", "create", name)
    try:
        migrate = run_role(app_image, name, "migrate")
        assert "challenges ready" in migrate.stdout, migrate.stdout
        yield name
    finally:
        docker("volume", "rm", "-f", name, check=False)


def run_role(image: str, volume: str, *args: str, detach: bool = False,
             publish: int | None = None) -> subprocess.CompletedProcess:
    options = ["--rm"] if not detach else ["-d"]
    if publish is not None:
        options += ["-p", f"127.0.0.1:{publish}:8000"]
    return docker("run", *options, "-v", f"{volume}:/var/lib/grader",
                  "-e", "GRADER_SECRET_KEY=image-test-secret-0123456789",
                  "-e", "GRADER_SYNC_OPTIONS=--no-check", image, *args, timeout=180)


def test_image_runs_as_an_unprivileged_user_with_the_server_tools(app_image: str) -> None:
    result = docker("run", "--rm", app_image, "sh", "-c",
                    "id -u && flask --app grader --help && celery --version && gunicorn --version")
    uid, _, rest = result.stdout.partition("\n")
    assert uid.strip() != "0"
    for group in ("db", "users", "challenges", "runner"):
        assert group in rest
    labels = json.loads(docker("image", "inspect", app_image).stdout)[0]["Config"]["Labels"]
    assert labels["org.opencontainers.image.title"] == "flask-grader-app"


def test_migrate_then_web_serves_the_bundled_challenges(app_image: str,
                                                        instance_volume: str) -> None:
    bundled = sorted(p.name for p in (ROOT / "challenges").iterdir()
                     if (p / "challenge.toml").is_file())

    port = components.free_port()
    container = run_role(app_image, instance_volume, "web", detach=True,
                         publish=port).stdout.strip()
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/api/v1/status", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.3)
        else:
            pytest.fail(docker("logs", container, check=False).stderr[-3000:], pytrace=False)
        listed = requests.get(f"{url}/api/v1/challenges", timeout=10).json()["challenges"]
        assert sorted(c["slug"] for c in listed) == bundled

        # compose's health check, run exactly as compose runs it.
        compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
        check = compose["services"]["web"]["healthcheck"]["test"]
        assert check[0] == "CMD"
        assert docker("exec", container, *check[1:], check=False).returncode == 0

        # An operator command inside the running service, as docs/operations.md shows it.
        created = subprocess.run(
            ["docker", "exec", "-i", container, "flask", "--app", "grader", "users", "create",
             "alice", "--role", "teacher", "--password-stdin"],
            input="alice-password-1\n", capture_output=True, text=True, timeout=60, check=False)
        assert created.returncode == 0, created.stderr
        token = requests.post(f"{url}/api/v1/tokens", timeout=10, json={
            "username": "alice", "password": "alice-password-1"})
        assert token.status_code == 201 and token.json()["role"] == "teacher"
    finally:
        docker("rm", "-f", container, check=False)


def test_challenge_store_backup_command_of_the_guide(app_image: str, instance_volume: str,
                                                     tmp_path: Path) -> None:
    docker("run", "--rm", "-v", f"{instance_volume}:/data:ro", "-v", f"{tmp_path}:/backup",
           "--user", "root", app_image, "tar", "-C", "/data", "-czf",
           "/backup/challenge-store.tgz", ".")
    listing = subprocess.run(["tar", "-tzf", str(tmp_path / "challenge-store.tgz")],
                             capture_output=True, text=True, check=True).stdout
    assert "./challenge_store/hello-flask/v1/challenge.toml" in listing
    assert "./grader.sqlite3" in listing
