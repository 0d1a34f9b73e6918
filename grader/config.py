"""Configuration from `GRADER_*` environment variables, each with a safe default."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

QUEUE_MODES = ("thread", "celery")
BACKENDS = ("docker", "local")
RUNTIMES = ("runc", "runsc")
RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*(s|m|h)?\s*$")


class ConfigError(click.ClickException):
    """A setting that is wrong: stops start-up with one clear line (exit code 2)."""

    exit_code = 2


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(f"{name} must be a positive integer, got {raw!r}")
    return value


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    if not raw.strip().isdigit():
        raise ConfigError(f"{name} must be a whole number (0 or more), got {raw!r}")
    return int(raw.strip())


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def parse_rate(raw: str, name: str = "GRADER_RATE_LIMIT") -> tuple[int, int]:
    """'10/60' or '10/1m' -> (10 submissions, 60 seconds); '0' disables the limit."""
    if raw.strip() in ("0", "off", "none"):
        return (0, 60)
    match = RATE_RE.match(raw)
    if not match or int(match.group(1)) < 1 or int(match.group(2)) < 1:
        raise ConfigError(f"{name} must look like COUNT/SECONDS (e.g. 10/60 or 10/1m), got {raw!r}")
    unit = {"s": 1, "m": 60, "h": 3600, None: 1}[match.group(3)]
    return int(match.group(1)), int(match.group(2)) * unit


def _database_url(env: Mapping[str, str], instance: Path) -> str:
    raw = env.get("GRADER_DATABASE_URL", "").strip()
    if not raw:
        return f"sqlite:///{instance / 'grader.sqlite3'}"
    if raw.startswith("postgres://"):  # the Heroku-style spelling SQLAlchemy no longer accepts
        raw = "postgresql://" + raw[len("postgres://"):]
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://"):]
    if not re.match(r"^(sqlite|postgresql(\+\w+)?)://", raw):
        raise ConfigError(
            f"GRADER_DATABASE_URL must be a sqlite:// or postgresql:// URL, got {raw!r}")
    return raw


def _secret_key(env: Mapping[str, str], instance: Path) -> str:
    raw = env.get("GRADER_SECRET_KEY", "").strip()
    if raw:
        if len(raw) < 16:
            raise ConfigError("GRADER_SECRET_KEY must be at least 16 characters long")
        return raw
    # Generated once and kept, so sessions survive restarts without any setup.
    key_file = instance / "secret_key"
    try:
        if key_file.is_file():
            return key_file.read_text(encoding="utf-8").strip()
        instance.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key)
        return key
    except FileExistsError:
        return key_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"cannot keep a secret key in {instance}: {exc.strerror}") from None


def _warm_sandboxes(env: Mapping[str, str]) -> int | None:
    raw = env.get("GRADER_WARM_SANDBOXES", "").strip()
    if not raw:
        return None  # one per worker
    if not raw.isdigit():
        raise ConfigError(f"GRADER_WARM_SANDBOXES must be a whole number, got {raw!r}")
    return int(raw)


def runner_settings(config: Mapping[str, Any]) -> Any:
    """The runner's settings from the app's configuration (one warm sandbox per worker)."""
    import runner

    warm = config.get("GRADER_WARM_SANDBOXES")
    return runner.RunnerSettings(
        image=config["GRADER_RUNNER_IMAGE"],
        warm_sandboxes=config["GRADER_WORKERS"] if warm is None else warm,
        backend=config["GRADER_BACKEND"], runtime=config.get("GRADER_SANDBOX_RUNTIME", "runc"),
        seccomp=config.get("GRADER_SECCOMP", True))


def load(instance_path: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Flask settings from the environment; raises `ConfigError` for a wrong value."""
    env = os.environ if env is None else env
    instance = Path(instance_path)
    queue = _choice(env, "GRADER_QUEUE", QUEUE_MODES, "thread")
    redis_url = env.get("GRADER_REDIS_URL", "").strip() or "redis://127.0.0.1:6379/0"
    if not re.match(r"^rediss?://", redis_url):
        raise ConfigError(f"GRADER_REDIS_URL must be a redis:// URL, got {redis_url!r}")
    challenges_dir = env.get("GRADER_CHALLENGES_DIR", "").strip() or str(
        Path(__file__).resolve().parent.parent / "challenges")
    upload_mb = _positive_int(env, "GRADER_MAX_UPLOAD_MB", 8)
    secure_cookies = _flag(env, "GRADER_SECURE_COOKIES", False)
    return {
        "SECRET_KEY": _secret_key(env, instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(env, instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "GRADER_QUEUE": queue,
        "GRADER_REDIS_URL": redis_url,
        "GRADER_RUNNER_IMAGE": env.get("GRADER_RUNNER_IMAGE", "").strip()
        or "flask-grader-runner:latest",
        "GRADER_BACKEND": _choice(env, "GRADER_BACKEND", BACKENDS, "docker"),
        "GRADER_SANDBOX_RUNTIME": _choice(env, "GRADER_SANDBOX_RUNTIME", RUNTIMES, "runc"),
        "GRADER_SECCOMP": _flag(env, "GRADER_SECCOMP", True),
        "GRADER_WORKERS": _positive_int(env, "GRADER_WORKERS", 2),
        "GRADER_WARM_SANDBOXES": _warm_sandboxes(env),
        "GRADER_CHALLENGES_DIR": challenges_dir,
        "GRADER_RATE_LIMIT": parse_rate(env.get("GRADER_RATE_LIMIT", "") or "10/60"),
        "GRADER_LOGIN_RATE_LIMIT": parse_rate(env.get("GRADER_LOGIN_RATE_LIMIT", "") or "10/5m",
                                              "GRADER_LOGIN_RATE_LIMIT"),
        "GRADER_REGISTER_RATE_LIMIT": parse_rate(
            env.get("GRADER_REGISTER_RATE_LIMIT", "") or "10/1h", "GRADER_REGISTER_RATE_LIMIT"),
        "GRADER_MAX_ATTEMPTS": _positive_int(env, "GRADER_MAX_ATTEMPTS", 3),
        "GRADER_RETRY_DELAY_S": _positive_int(env, "GRADER_RETRY_DELAY_S", 5),
        "GRADER_ENGINE_RETRY_S": _positive_int(env, "GRADER_ENGINE_RETRY_S", 15),
        "GRADER_TOKEN_DAYS": _positive_int(env, "GRADER_TOKEN_DAYS", 90),
        "GRADER_RECOVER_ON_START": True,
        "MAX_CONTENT_LENGTH": upload_mb * 1024 * 1024,
        # Session cookie: not readable from scripts, not sent on cross-site posts, and
        # HTTPS-only when the deployment says it is served over TLS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # Trusted reverse proxies in front of the server (0: none); their X-Forwarded-* headers
        # then tell the client's address and whether the request came over HTTPS.
        "GRADER_PROXY_HOPS": _count(env, "GRADER_PROXY_HOPS", 0),
        "WTF_CSRF_TIME_LIMIT": None,
    }
