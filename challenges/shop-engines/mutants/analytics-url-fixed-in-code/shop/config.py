"""Which databases the shop uses and how their engines are tuned, from the environment."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.engine import URL, make_url

DEFAULT_DATABASE_URL = "sqlite:///shop.sqlite"
DEFAULT_ANALYTICS_URL = "sqlite:///analytics.sqlite"
DRIVERS = {"postgresql": "postgresql+psycopg", "mysql": "mysql+pymysql"}


def database_url(environ: Mapping[str, str]) -> str:
    """DATABASE_URL as it is, else a URL built from the DB_* parts, else SQLite."""
    if environ.get("DATABASE_URL"):
        return environ["DATABASE_URL"]
    if not environ.get("DB_HOST"):
        return DEFAULT_DATABASE_URL
    dialect = environ.get("DB_DIALECT", "postgresql")
    if dialect not in DRIVERS:
        raise ValueError(f"DB_DIALECT must be one of {', '.join(DRIVERS)}, not {dialect!r}")
    # URL.create escapes what a password may hold (@ / : #); an f-string would not
    url = URL.create(
        DRIVERS[dialect],
        username=environ.get("DB_USER") or None,
        password=environ.get("DB_PASSWORD") or None,
        host=environ["DB_HOST"],
        port=int(environ["DB_PORT"]) if environ.get("DB_PORT") else None,
        database=environ.get("DB_NAME") or None,
    )
    return url.render_as_string(hide_password=False)


def engine_options(url: str) -> dict:
    """Pool settings for the kind of database the URL names."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return {}
    options = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 5}
    if backend == "mysql":
        # MySQL closes connections idle for longer than its wait_timeout: renew them before
        options["pool_recycle"] = 280
    return options
