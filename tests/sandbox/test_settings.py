"""The runner's settings: handed in by the caller, the environment only as the default."""

from __future__ import annotations

from pathlib import Path

import pytest

import runner
from runner import RunnerSettings, SettingsError
from runner.backends import get_backend
from runner.local import LocalBackend

CHALLENGES = Path(__file__).parent / "challenges"


@pytest.fixture
def restore_settings():
    previous = runner.settings._configured
    yield
    runner.settings._configured = previous


def test_defaults_come_from_the_environment():
    env = {"GRADER_RUNNER_IMAGE": "img:tag", "GRADER_WORKERS": "3", "GRADER_BACKEND": "local",
           "GRADER_SANDBOX_RUNTIME": "runsc", "GRADER_SECCOMP": "off"}
    assert RunnerSettings.from_env(env) == RunnerSettings(
        image="img:tag", warm_sandboxes=3, backend="local", runtime="runsc", seccomp=False)
    assert RunnerSettings.from_env({"GRADER_WARM_SANDBOXES": "0", "GRADER_WORKERS": "4"}
                                   ).warm_sandboxes == 0
    assert RunnerSettings.from_env({}) == RunnerSettings()


@pytest.mark.parametrize("env, message", [
    ({"GRADER_BACKEND": "k8s"}, "backend must be one of docker, local"),
    ({"GRADER_SANDBOX_RUNTIME": "kata"}, "runtime must be one of runc, runsc"),
    ({"GRADER_WARM_SANDBOXES": "many"}, "GRADER_WARM_SANDBOXES must be a whole number"),
    ({"GRADER_SECCOMP": "maybe"}, "GRADER_SECCOMP must be on or off"),
])
def test_a_wrong_setting_is_one_clear_line(env, message):
    with pytest.raises(SettingsError, match=message) as info:
        RunnerSettings.from_env(env)
    assert "\n" not in str(info.value)


def test_configured_settings_win_over_the_environment(monkeypatch, restore_settings):
    monkeypatch.setenv("GRADER_BACKEND", "docker")
    assert runner.current_settings().backend == "docker"
    runner.configure(RunnerSettings(backend="local", warm_sandboxes=0))
    assert runner.current_settings() == RunnerSettings(backend="local", warm_sandboxes=0)
    challenge = runner.load_challenge(CHALLENGES / "secret-echo")
    solution = (challenge.solution_dir / "app.py").read_bytes()
    # no Docker is asked for: the configured backend is the local one
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    assert runner.grade(challenge, {"app.py": solution}).score == 100


def test_backends_are_made_once_per_configuration():
    settings = RunnerSettings(backend="local")
    backend = get_backend("local", settings)
    assert isinstance(backend, LocalBackend)
    assert get_backend("local", RunnerSettings(backend="local")) is backend
    with pytest.raises(ValueError, match="unknown runner backend 'nope'"):
        get_backend("nope", settings)


def test_the_server_configures_the_runner(tmp_path, monkeypatch, restore_settings):
    from grader import create_app

    monkeypatch.setenv("GRADER_INSTANCE_PATH", str(tmp_path))
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "GRADER_RUNNER_IMAGE": "flask-grader-runner:other", "GRADER_WORKERS": 5,
                "GRADER_BACKEND": "local", "SECRET_KEY": "x" * 32})
    assert runner.current_settings() == RunnerSettings(
        image="flask-grader-runner:other", warm_sandboxes=5, backend="local")
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "GRADER_WORKERS": 5,
                "GRADER_WARM_SANDBOXES": 0, "GRADER_BACKEND": "local", "SECRET_KEY": "x" * 32})
    assert runner.current_settings().warm_sandboxes == 0


def test_a_missing_runtime_stops_the_server_with_one_line(tmp_path, monkeypatch,
                                                          restore_settings):
    from grader import create_app
    from grader.config import ConfigError

    monkeypatch.setenv("GRADER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setattr(runner, "runtime_problem",
                        lambda settings: f"no {settings.runtime} runtime here")
    with pytest.raises(ConfigError, match="^no runsc runtime here$"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "GRADER_SANDBOX_RUNTIME": "runsc", "SECRET_KEY": "x" * 32})
