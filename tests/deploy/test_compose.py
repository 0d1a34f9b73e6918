"""compose.yaml, .env.example and the entry script agree with each other and with the server."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from deploy_topology import ROOT

COMPOSE = ROOT / "compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
OPERATIONS = ROOT / "docs" / "operations.md"
SERVER_SERVICES = ("migrate", "web", "worker")
LONG_RUNNING = ("web", "worker", "redis", "postgres")
# Variables the sandbox harness sets for itself inside the runner image: not settings.
HARNESS_INTERNAL = {"GRADER_UID", "GRADER_HARNESS", "GRADER_WORK_ROOT"}
# Variables of the command-line client, documented with it rather than with the server.
CLIENT_ONLY = {"GRADER_SERVER", "GRADER_TOKEN"}


# Compose's variable substitution: $$, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}.
SUBSTITUTION = re.compile(r"\$(?:\$|\{(\w+)(?:(:?[-?])([^}]*))?\})")


def interpolate(text: str, env: dict[str, str]) -> str:
    """The compose file as compose sees it once the .env values are substituted."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.groups()
        value = env.get(name)
        if operator in (":?", "?"):
            if not value if operator == ":?" else value is None:
                raise ValueError(f"required variable {name} is missing: {argument}")
            return value
        if operator == ":-":
            return value or argument
        if operator == "-":
            return argument if value is None else value
        return value or ""

    return SUBSTITUTION.sub(substitute, text)


def filled_env() -> dict[str, str]:
    """.env.example with its blanks filled in, as an operator does."""
    env = env_example()
    env.update(GRADER_SECRET_KEY="k" * 64, POSTGRES_PASSWORD="a-password", DOCKER_GID="999")
    return env


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def env_example() -> dict[str, str]:
    pairs = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def mounts(service: dict[str, Any]) -> dict[str, str]:
    """target -> source of a service's short-syntax volumes."""
    found = {}
    for entry in service.get("volumes", []):
        source, target = entry.split(":")[:2]
        found[target] = source
    return found


def server_variables() -> set[str]:
    """Every GRADER_* name the server, the runner and the deploy scripts read."""
    names: set[str] = set()
    for folder in ("grader", "runner", "deploy"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".sh") and "client" not in path.parts:
                names.update(re.findall(r"GRADER_[A-Z][A-Z_]*[A-Z]", path.read_text("utf-8")))
    return names - HARNESS_INTERNAL - CLIENT_ONLY - {"GRADER_RECOVER_ON_START"}


def test_the_topology_has_its_five_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"migrate", "web", "worker", "redis", "postgres"}
    assert set(compose["volumes"]) == {"postgres-data", "redis-data", "challenge-store"}


def test_server_services_share_one_image_and_run_its_roles(compose: dict[str, Any]) -> None:
    roles = re.findall(r"^\s{2}(\w+)\)$", ENTRYPOINT.read_text(encoding="utf-8"), re.MULTILINE)
    images = {compose["services"][name]["image"] for name in SERVER_SERVICES}
    assert images == {"${GRADER_APP_IMAGE:-flask-grader-app:latest}"}
    for name in SERVER_SERVICES:
        service = compose["services"][name]
        assert service["command"] == [name]
        assert name in roles
        assert service["pull_policy"] == "never"  # built locally, never fetched


def test_web_runs_one_threaded_gunicorn_process() -> None:
    script = ENTRYPOINT.read_text(encoding="utf-8")
    assert "--worker-class gthread --workers 1" in script
    assert '"grader:create_app()"' in script


def test_web_and_workers_wait_for_the_migration_and_healthy_stores(
        compose: dict[str, Any]) -> None:
    for name in ("web", "worker"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["postgres"]["condition"] == "service_healthy"
    migrate = compose["services"]["migrate"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"


def test_every_long_running_service_has_a_health_check(compose: dict[str, Any]) -> None:
    for name in LONG_RUNNING:
        check = compose["services"][name].get("healthcheck")
        assert check and check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert check.get("interval") and check.get("retries"), name
        assert compose["services"][name]["restart"] == "unless-stopped", name


def test_settings_come_from_the_env_file_and_select_the_scaled_mode(
        compose: dict[str, Any]) -> None:
    for name in SERVER_SERVICES:
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        env = service["environment"]
        assert env["GRADER_QUEUE"] == "celery"
        assert env["GRADER_REDIS_URL"] == "redis://redis:6379/0"
        assert env["GRADER_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "@postgres:5432/" in env["GRADER_DATABASE_URL"]


def test_volumes_keep_the_database_and_the_challenge_store(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert mounts(services["postgres"])["/var/lib/postgresql/data"] == "postgres-data"
    assert mounts(services["redis"])["/data"] == "redis-data"
    for name in SERVER_SERVICES:
        assert mounts(services[name])["/var/lib/grader"] == "challenge-store"
        assert services[name]["environment"]["GRADER_INSTANCE_PATH"] == "/var/lib/grader"


def test_only_grading_workers_hold_the_docker_socket(compose: dict[str, Any]) -> None:
    """The web tier and the migration job never talk to Docker; workers start sandboxes."""
    services = compose["services"]
    assert mounts(services["worker"])["/var/run/docker.sock"] == "/var/run/docker.sock"
    assert services["worker"]["group_add"] == [
        "${DOCKER_GID:?set DOCKER_GID in .env to the group id of /var/run/docker.sock}"]
    for name in ("web", "migrate", "redis", "postgres"):
        assert "/var/run/docker.sock" not in mounts(services[name]), name
        assert "group_add" not in services[name], name


def test_every_variable_compose_needs_is_in_env_example() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    required = set(re.findall(r"\$\{(\w+):\?", text))
    defaulted = set(re.findall(r"\$\{(\w+):-", text))
    example = env_example()
    assert required <= set(example), required - set(example)
    assert defaulted - {"GRADER_APP_BASE"} <= set(example), defaulted - set(example)
    # The secrets are left blank, never shipped with a value that would work.
    assert example["GRADER_SECRET_KEY"] == "" and example["POSTGRES_PASSWORD"] == ""


def test_env_example_names_only_settings_that_exist() -> None:
    compose_only = {"POSTGRES_PASSWORD", "POSTGRES_USER", "POSTGRES_DB", "DOCKER_GID",
                    "GRADER_HTTP_PORT", "GRADER_APP_IMAGE"}
    unknown = set(env_example()) - server_variables() - compose_only
    assert not unknown, f".env.example names settings nothing reads: {sorted(unknown)}"


def test_operations_guide_documents_every_setting() -> None:
    guide = OPERATIONS.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\|\s*`(GRADER_[A-Z_]+)`", guide, re.MULTILINE))
    missing = server_variables() - documented
    assert not missing, f"docs/operations.md lacks a row for {sorted(missing)}"


def test_the_file_follows_the_compose_specification() -> None:
    from compose_spec import PyCompose

    resolved = yaml.safe_load(interpolate(COMPOSE.read_text(encoding="utf-8"), filled_env()))
    # The validator wants plain data: PyYAML has already merged the `<<: *server` anchors.
    parsed = PyCompose.from_json(json.dumps(resolved)).to_dict()
    assert sorted(parsed["services"]) == ["migrate", "postgres", "redis", "web", "worker"]
    worker = parsed["services"]["worker"]
    assert [str(g) for g in worker["group_add"]] == ["999"]
    assert "@postgres:5432/grader" in worker["environment"]["GRADER_DATABASE_URL"]
    assert "a-password" in worker["environment"]["GRADER_DATABASE_URL"]
    assert worker["healthcheck"]["test"] == ["CMD", "grader-entrypoint", "health", "worker"]


@pytest.mark.parametrize("name", ["GRADER_SECRET_KEY", "POSTGRES_PASSWORD", "DOCKER_GID"])
def test_compose_refuses_to_start_without_a_required_setting(name: str) -> None:
    env = filled_env()
    env[name] = ""
    with pytest.raises(ValueError, match=name):
        interpolate(COMPOSE.read_text(encoding="utf-8"), env)
