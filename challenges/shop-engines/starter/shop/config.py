"""Which databases the shop uses and how their engines are tuned, from the environment."""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_DATABASE_URL = "sqlite:///shop.sqlite"
DEFAULT_ANALYTICS_URL = "sqlite:///analytics.sqlite"


def database_url(environ: Mapping[str, str]) -> str:
    """DATABASE_URL as it is, else a URL built from the DB_* parts, else SQLite."""
    # To do: DATABASE_URL, then the DB_* variables
    return DEFAULT_DATABASE_URL


def engine_options(url: str) -> dict:
    """Pool settings for the kind of database the URL names."""
    # To do: options for PostgreSQL and MySQL
    return {}
