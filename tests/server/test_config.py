"""Configuration: GRADER_* variables with safe defaults and one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader import config

ROOT = Path(__file__).resolve().parents[2]


def test_defaults(tmp_path):
    settings = config.load(str(tmp_path), env={})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'grader.sqlite3'}"
    assert settings["GRADER_QUEUE"] == "thread" and settings["GRADER_WORKERS"] == 2
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["GRADER_RATE_LIMIT"] == (10, 60)


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = config.load(str(tmp_path), env={})["SECRET_KEY"]
    assert len(first) >= 32 and (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert config.load(str(tmp_path), env={})["SECRET_KEY"] == first


def test_postgres_urls_use_psycopg(tmp_path):
    settings = config.load(str(tmp_path), env={"GRADER_DATABASE_URL": "postgres://u@h/db"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_secure_cookies_flag(tmp_path):
    settings = config.load(str(tmp_path), env={"GRADER_SECURE_COOKIES": "true"})
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]


@pytest.mark.parametrize("name,value,message", [
    ("GRADER_WORKERS", "abc", "GRADER_WORKERS must be a positive integer, got 'abc'"),
    ("GRADER_WORKERS", "0", "GRADER_WORKERS must be a positive integer, got '0'"),
    ("GRADER_QUEUE", "rq", "GRADER_QUEUE must be one of thread, celery, got 'rq'"),
    ("GRADER_DATABASE_URL", "mysql://x",
     "GRADER_DATABASE_URL must be a sqlite:// or postgresql:// URL, got 'mysql://x'"),
    ("GRADER_REDIS_URL", "localhost:6379",
     "GRADER_REDIS_URL must be a redis:// URL, got 'localhost:6379'"),
    ("GRADER_RATE_LIMIT", "lots",
     "GRADER_RATE_LIMIT must look like COUNT/SECONDS (e.g. 10/60 or 10/1m), got 'lots'"),
    ("GRADER_SECRET_KEY", "short", "GRADER_SECRET_KEY must be at least 16 characters long"),
])
def test_bad_values_raise_one_clear_line(tmp_path, name, value, message):
    with pytest.raises(config.ConfigError) as error:
        config.load(str(tmp_path), env={name: value})
    assert error.value.message == message and error.value.exit_code == 2


def test_rate_limit_units():
    assert config.parse_rate("5/2m") == (5, 120)
    assert config.parse_rate("0") == (0, 60)


def test_flask_cli_stops_with_one_line_and_exit_2(tmp_path):
    env = {**os.environ, "GRADER_WORKERS": "abc", "GRADER_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "grader", "users", "list"],
                            check=False,
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: GRADER_WORKERS must be a positive integer, got 'abc'"
    assert "Traceback" not in result.stderr + result.stdout
