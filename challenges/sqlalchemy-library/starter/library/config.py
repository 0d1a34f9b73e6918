"""Where the database is: one URL, read from the environment."""

from __future__ import annotations

DEFAULT_DATABASE_URL = "sqlite:///library.sqlite"


def database_url(raw: str | None) -> str:
    """The SQLAlchemy URL for a DATABASE_URL value, or the SQLite default when there is none."""
    # To do: use `raw` when it is set, fixing the two schemes SQLAlchemy cannot use as they are
    return DEFAULT_DATABASE_URL


def engine_options(url: str) -> dict:
    """Engine options for a URL."""
    # To do: pool_pre_ping for database servers
    return {}
