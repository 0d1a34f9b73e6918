"""`grader login`, `logout` and the config file: 0600, XDG_CONFIG_HOME, environment overrides."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from grader.client import config


def test_login_reads_the_password_from_stdin_and_saves_a_private_token(grader, fake, tmp_path):
    result = grader("login", "--server", fake.url, "--username", "ann", input="s3cret\n")
    assert result.exit_code == 0, result.output
    assert f"Logged in to {fake.url} as ann" in result.stdout
    saved = tmp_path / "xdg" / "grader" / "config.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    assert json.loads(saved.read_text()) == {
        "server": fake.url,
        "token": "gdr_test-token",
        "username": "ann",
    }


def test_login_with_a_wrong_password_says_so_and_saves_nothing(grader, fake, tmp_path):
    result = grader("login", "--server", fake.url, "-u", "ann", input="wrong\n")
    assert result.exit_code == 2
    assert "refused the login for 'ann': Wrong username or password" in result.stderr
    assert not (tmp_path / "xdg" / "grader" / "config.json").exists()


def test_login_without_username_on_piped_stdin_is_a_usage_error(grader, fake):
    result = grader("login", "--server", fake.url, input="s3cret\n")
    assert result.exit_code == 2
    assert "--username is required" in result.stderr


def test_login_without_a_password_is_a_usage_error(grader, fake):
    result = grader("login", "--server", fake.url, "-u", "ann", input="")
    assert result.exit_code == 2
    assert "no password on stdin" in result.stderr


def test_login_to_an_unreachable_server_names_the_url(grader):
    from components import free_port

    url = f"http://127.0.0.1:{free_port()}"
    result = grader("login", "--server", url, "-u", "ann", input="pw\n")
    assert result.exit_code == 2
    assert f"Cannot reach the grader server at {url}/api/v1/tokens" in result.stderr


def test_a_server_without_scheme_gets_http(grader, fake):
    bare = fake.url.removeprefix("http://")
    result = grader("login", "--server", bare, "-u", "ann", input="s3cret\n")
    assert result.exit_code == 0, result.output
    assert config.load().server == fake.url


def test_config_folder_follows_xdg_config_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    assert config.config_dir() == tmp_path / "elsewhere" / "grader"


def test_config_folder_defaults_to_dot_config_when_xdg_is_unset_or_relative(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert config.config_dir() == Path.home() / ".config" / "grader"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/path")
    assert config.config_dir() == Path.home() / ".config" / "grader"


def test_environment_overrides_the_saved_server_and_token(monkeypatch):
    config.save("http://saved.example:5000", "saved-token", "ann")
    monkeypatch.setenv("GRADER_TOKEN", "env-token")
    assert config.load().token == "env-token"
    monkeypatch.setenv("GRADER_SERVER", "http://other.example:8000/")
    current = config.load()
    assert (current.server, current.token) == ("http://other.example:8000", "env-token")


def test_a_saved_token_is_not_sent_to_a_different_grader_server(monkeypatch):
    config.save("http://saved.example:5000", "saved-token", "ann")
    monkeypatch.setenv("GRADER_SERVER", "http://other.example:8000")
    assert config.load().token is None
    monkeypatch.setenv("GRADER_SERVER", "http://saved.example:5000/")
    assert config.load().token == "saved-token"


def test_a_corrupt_config_file_is_reported_not_a_traceback(grader, tmp_path):
    path = tmp_path / "xdg" / "grader" / "config.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    result = grader("challenges")
    assert result.exit_code == 2
    assert f"{path} is not valid JSON" in result.stderr


def test_logout_forgets_the_token_but_keeps_the_server(grader, logged_in):
    result = grader("logout")
    assert result.exit_code == 0
    assert "Token removed" in result.stdout
    saved = config.read_saved()
    assert "token" not in saved and saved["server"] == logged_in.url
    assert stat.S_IMODE(config.config_path().stat().st_mode) == 0o600
    assert "No token was saved" in grader("logout").stdout


@pytest.mark.parametrize("command", [["status", "1"], ["submit", "hello-flask"], ["submissions"]])
def test_commands_needing_a_login_say_how_to_log_in(grader, command):
    result = grader(*command)
    assert result.exit_code == 2
    assert "You are not logged in to http://127.0.0.1:5000" in result.stderr
    assert "grader login --server http://127.0.0.1:5000" in result.stderr


def test_a_rejected_token_suggests_logging_in_again(grader, fake):
    config.save(fake.url, "gdr_stale", "ann")
    result = grader("challenges")
    assert result.exit_code == 2
    assert "did not accept your credentials (The token is not valid)" in result.stderr
    assert f"grader login --server {fake.url}" in result.stderr


def test_a_refused_grader_token_names_the_variable(grader, fake, monkeypatch):
    monkeypatch.setenv("GRADER_SERVER", fake.url)
    monkeypatch.setenv("GRADER_TOKEN", "gdr_wrong")
    result = grader("challenges")
    assert result.exit_code == 2
    assert "refused the token in GRADER_TOKEN (The token is not valid)" in result.stderr


def test_login_warns_when_grader_token_will_still_win(grader, fake, monkeypatch):
    monkeypatch.setenv("GRADER_TOKEN", "gdr_other")
    result = grader("login", "--server", fake.url, "-u", "ann", input="s3cret\n")
    assert result.exit_code == 0
    assert "GRADER_TOKEN is set and takes precedence" in result.stderr


def test_browsing_and_starting_need_no_login(grader, fake, monkeypatch, isolated_home):
    monkeypatch.setenv("GRADER_SERVER", fake.url)
    fake.state.errors.clear()
    listing = grader("challenges")
    assert listing.exit_code == 0, listing.output
    assert "url-converters" in listing.stdout
    assert grader("start", "url-converters").exit_code == 0
    assert (isolated_home / "url-converters" / "app.py").is_file()


def test_serve_hands_host_and_port_to_the_server(grader, monkeypatch):
    import importlib

    server_module = importlib.import_module("grader.serve")
    calls = []
    # `grader serve` prepares the server, then runs it: record the address, serve nothing.
    monkeypatch.setattr(server_module, "prepare_server",
                        lambda host, port: lambda: calls.append((host, port)))
    result = grader("serve", "--host", "0.0.0.0", "--port", "8123")
    assert result.exit_code == 0
    assert calls == [("0.0.0.0", 8123)]
    assert grader("serve", "--port", "70000").exit_code == 2
