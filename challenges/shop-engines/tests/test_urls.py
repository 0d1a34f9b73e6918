"""Hidden tests: database URLs and engine options, as plain functions."""

from __future__ import annotations

import pytest

PARTS = "(lambda u: [u.drivername, u.username, u.password, u.host, u.port, u.database])"


def url_parts(learner, environ: dict[str, str]) -> list:
    return learner.eval(
        f"{PARTS}(__import__('sqlalchemy').engine.make_url("
        f"__import__('shop.config').config.database_url({environ!r})))"
    )


@pytest.mark.points(8)
def test_database_url_prefers_database_url(learner):
    """DATABASE_URL is used as it is, and SQLite is the default"""
    call = "shop.config:database_url"
    assert learner.call(call, {}) == "sqlite:///shop.sqlite", "Without settings, use SQLite"
    url = "postgresql+psycopg://app:pw@db.internal/shop"
    assert learner.call(call, {"DATABASE_URL": url, "DB_HOST": "elsewhere"}) == url, (
        "A whole DATABASE_URL wins over the separate DB_* variables"
    )


@pytest.mark.points(14)
@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {
                "DB_HOST": "db.internal",
                "DB_PORT": "5432",
                "DB_USER": "shop",
                "DB_PASSWORD": "p@ss/w:rd#1",
                "DB_NAME": "shop",
            },
            ["postgresql+psycopg", "shop", "p@ss/w:rd#1", "db.internal", 5432, "shop"],
        ),
        (
            {
                "DB_DIALECT": "mysql",
                "DB_HOST": "mysql.internal",
                "DB_USER": "shop",
                "DB_PASSWORD": "50%off?",
                "DB_NAME": "shop",
            },
            ["mysql+pymysql", "shop", "50%off?", "mysql.internal", None, "shop"],
        ),
    ],
    ids=["postgresql", "mysql"],
)
def test_database_url_from_parts(learner, environ, expected):
    """A URL built from DB_* parts survives any character in the password"""
    assert url_parts(learner, environ) == expected, (
        "Build the URL with sqlalchemy.engine.URL.create: it escapes @ / : # % ? in the parts"
    )


@pytest.mark.points(10)
def test_engine_options_per_dialect(learner):
    """engine_options() gives each kind of database its pool settings"""
    call = "shop.config:engine_options"
    assert learner.call(call, "sqlite:///shop.sqlite") == {}, "SQLite needs no pool settings"
    assert learner.call(call, "postgresql+psycopg://u:p@db/shop") == {
        "pool_pre_ping": True,
        "pool_size": 10,
        "max_overflow": 5,
    }, "PostgreSQL: check connections before use, 10 in the pool, 5 more at busy times"
    assert learner.call(call, "mysql+pymysql://u:p@db/shop") == {
        "pool_pre_ping": True,
        "pool_size": 10,
        "max_overflow": 5,
        "pool_recycle": 280,
    }, "MySQL: the same, and renew connections before its server drops them"
