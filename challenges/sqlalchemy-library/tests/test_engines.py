"""Hidden tests: the database URL comes from the environment and reaches the engine."""

from __future__ import annotations

import pytest

ENGINE = "app.extensions['sqlalchemy'].engine"


def engine_facts(learner) -> dict:
    return learner.eval(
        # Flask-SQLAlchemy adds ?charset=utf8mb4 to MySQL URLs, so compare the URL without its query
        f"(lambda e: {{'url': e.url.set(query={{}}).render_as_string(hide_password=False), "
        f"'dialect': e.dialect.name, 'driver': e.dialect.driver, "
        f"'options': app.config.get('SQLALCHEMY_ENGINE_OPTIONS') or {{}}}})({ENGINE})"
    )


@pytest.mark.points(8)
def test_default_is_sqlite_in_the_instance_folder(learner):
    """Without DATABASE_URL the app uses SQLite in its instance folder"""
    url, folder = learner.eval(f"[str({ENGINE}.url), app.instance_path]")
    assert url == f"sqlite:///{folder}/library.sqlite", (
        "The default database is sqlite:///library.sqlite (Flask-SQLAlchemy puts it in instance/)"
    )


def database_urls(learner, raws: list[str | None]) -> list[str]:
    return learner.eval(
        f"[__import__('library.config').config.database_url(raw) for raw in {raws!r}]"
    )


@pytest.mark.points(8)
def test_database_url_defaults_and_keeps(learner):
    """database_url() falls back to SQLite and keeps URLs that name their driver"""
    assert database_urls(learner, [None, ""]) == ["sqlite:///library.sqlite"] * 2, (
        "Without a DATABASE_URL the default is sqlite:///library.sqlite"
    )
    kept = [
        "postgresql://lib:pw@db.internal:5432/library",
        "postgresql+psycopg://lib:pw@db.internal/library",
        "mysql+pymysql://lib:pw@db.internal/library",
        "sqlite:////srv/data/library.sqlite",
    ]
    assert database_urls(learner, kept) == kept, "A URL SQLAlchemy can use is kept as it is"


@pytest.mark.points(8)
def test_database_url_fixes_platform_schemes(learner):
    """database_url() rewrites the postgres:// and mysql:// schemes of hosting platforms"""
    fixed = database_urls(
        learner,
        ["postgres://lib:pw@db.internal:5432/library", "mysql://lib:pw@db.internal:3306/library"],
    )
    assert fixed[0] == "postgresql://lib:pw@db.internal:5432/library", (
        "SQLAlchemy no longer accepts the name postgres"
    )
    assert fixed[1] == "mysql+pymysql://lib:pw@db.internal:3306/library", (
        "mysql:// means a driver that is not installed; name the one that is"
    )


@pytest.mark.learner_env(DATABASE_URL="postgres://lib:s3cret@db.internal:5432/library")
@pytest.mark.points(14)
def test_postgresql_url_reaches_the_engine(learner):
    """A PostgreSQL DATABASE_URL builds a PostgreSQL engine, without connecting"""
    facts = engine_facts(learner)
    assert facts["url"] == "postgresql://lib:s3cret@db.internal:5432/library", (
        "The engine should use DATABASE_URL from the environment, with the scheme SQLAlchemy knows"
    )
    assert [facts["dialect"], facts["driver"]] == ["postgresql", "psycopg"], (
        "The engine should talk to PostgreSQL through psycopg"
    )
    assert facts["options"].get("pool_pre_ping") is True, (
        "A database server can drop idle connections: ask the pool to check them first"
    )


@pytest.mark.learner_env(DATABASE_URL="mysql://lib:s3cret@db.internal:3306/library")
@pytest.mark.points(10)
def test_mysql_url_reaches_the_engine(learner):
    """A MySQL DATABASE_URL builds a MySQL engine on PyMySQL, without connecting"""
    facts = engine_facts(learner)
    assert facts["url"] == "mysql+pymysql://lib:s3cret@db.internal:3306/library", (
        "The engine should use DATABASE_URL, with a driver that is installed"
    )
    assert [facts["dialect"], facts["driver"]] == ["mysql", "pymysql"], (
        "The engine should talk to MySQL through PyMySQL"
    )
    assert facts["options"].get("pool_pre_ping") is True, (
        "A database server can drop idle connections: ask the pool to check them first"
    )


@pytest.mark.points(8)
def test_init_db_creates_the_tables(learner, cli):
    """flask init-db creates the author and book tables"""
    result = cli("init-db")
    assert result.exit_code == 0 and "Initialized the database." in result.output, (
        "flask init-db should create the tables and say so"
    )
    tables = learner.eval(f"sorted(__import__('sqlalchemy').inspect({ENGINE}).get_table_names())")
    assert tables == ["author", "book"], "Both models should have their table"
