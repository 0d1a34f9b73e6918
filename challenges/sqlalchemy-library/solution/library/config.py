"""Where the database is: one URL, read from the environment."""

from __future__ import annotations

DEFAULT_DATABASE_URL = "sqlite:///library.sqlite"


def database_url(raw: str | None) -> str:
    """The SQLAlchemy URL for a DATABASE_URL value, or the SQLite default when there is none."""
    if not raw:
        return DEFAULT_DATABASE_URL
    if raw.startswith("postgres://"):
        # hosting platforms still hand out the old scheme name, which SQLAlchemy refuses
        return "postgresql://" + raw.removeprefix("postgres://")
    if raw.startswith("mysql://"):
        # the default MySQL driver needs C libraries; PyMySQL is the pure-Python one installed
        return "mysql+pymysql://" + raw.removeprefix("mysql://")
    return raw


def engine_options(url: str) -> dict:
    """Engine options for a URL: servers drop idle connections, SQLite has none to lose."""
    return {} if url.startswith("sqlite") else {"pool_pre_ping": True}
