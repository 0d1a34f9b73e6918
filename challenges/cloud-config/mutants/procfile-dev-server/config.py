"""Settings read from environment variables, the way cloud platforms hand them over."""

from __future__ import annotations

from collections.abc import Mapping

ENVIRONMENTS = ("development", "production", "testing")
DEV_SECRET = "dev-only-not-secret"


class ConfigError(RuntimeError):
    """A setting is missing or wrong: the message says which and how to fix it."""


def load_config(environ: Mapping[str, str]) -> dict:
    """Flask settings for this environment (pass os.environ)."""
    app_env = environ.get("APP_ENV", "development")
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {app_env!r}")
    production = app_env == "production"

    secret_key = environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError("SECRET_KEY must be set in production")
        secret_key = DEV_SECRET

    database_url = environ.get("DATABASE_URL", "sqlite:///dev.db")
    # some platforms still hand out postgres://, which SQLAlchemy no longer accepts
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url[len("postgres://"):]

    raw_port = environ.get("PORT", "5000")
    if not raw_port.isdigit() or not 1 <= int(raw_port) <= 65535:
        raise ConfigError(f"PORT must be a number from 1 to 65535, not {raw_port!r}")

    return {
        "APP_ENV": app_env,
        # the debugger runs arbitrary code for whoever sees it: never in production,
        # whatever FLASK_DEBUG or DEBUG say
        "DEBUG": app_env == "development",
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
        "PORT": int(raw_port),
    }
