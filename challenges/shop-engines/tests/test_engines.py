"""Hidden tests: the app's two engines, and which database each table lives in."""

from __future__ import annotations

import pytest

# dialect, driver, URL parts and pool settings of one of the app's engines
ENGINE = (
    "(lambda e: {{'dialect': e.dialect.name, 'driver': e.dialect.driver, "
    "'host': e.url.host, 'password': e.url.password, 'database': e.url.database, "
    "'pool_size': e.pool.size() if hasattr(e.pool, 'size') else None, "
    "'max_overflow': getattr(e.pool, '_max_overflow', None), "
    "'recycle': e.pool._recycle, 'pre_ping': e.pool._pre_ping}})"
    "(app.extensions['sqlalchemy'].engines[{key!r}])"
)
TABLES = (
    "sorted(__import__('sqlalchemy').inspect(app.extensions['sqlalchemy'].engines[{key!r}])"
    ".get_table_names())"
)


def engine(learner, key: str | None) -> dict:
    return learner.eval(ENGINE.format(key=key))


@pytest.mark.points(8)
def test_two_sqlite_files_by_default(learner):
    """Without settings, the catalogue and the analytics are two SQLite files"""
    folder = learner.eval("app.instance_path")
    assert learner.eval("sorted(app.extensions['sqlalchemy'].engines, key=str)") == [
        None,
        "analytics",
    ], "There should be the default engine and an 'analytics' bind"
    assert engine(learner, None)["database"] == f"{folder}/shop.sqlite", (
        "The catalogue lives in shop.sqlite in the instance folder"
    )
    assert engine(learner, "analytics")["database"] == f"{folder}/analytics.sqlite", (
        "The analytics live in analytics.sqlite in the instance folder"
    )


@pytest.mark.learner_env(
    DB_HOST="db.internal",
    DB_PORT="5432",
    DB_USER="shop",
    DB_PASSWORD="s3cr@t/pw",
    DB_NAME="shop",
    ANALYTICS_DATABASE_URL="mysql+pymysql://stats:pw@mysql.internal/analytics",
)
@pytest.mark.points(16)
def test_postgresql_and_mysql_engines(learner):
    """PostgreSQL for the catalogue, MySQL for analytics, each with its pool settings"""
    main = engine(learner, None)
    assert [main["dialect"], main["driver"], main["host"], main["password"]] == [
        "postgresql",
        "psycopg",
        "db.internal",
        "s3cr@t/pw",
    ], "The default engine should be the PostgreSQL database the DB_* variables describe"
    assert [main["pool_size"], main["max_overflow"], main["pre_ping"], main["recycle"]] == [
        10,
        5,
        True,
        -1,
    ], "Give the PostgreSQL engine the PostgreSQL pool settings"
    analytics = engine(learner, "analytics")
    assert [analytics["dialect"], analytics["driver"], analytics["host"]] == [
        "mysql",
        "pymysql",
        "mysql.internal",
    ], "The analytics bind should use ANALYTICS_DATABASE_URL"
    assert [analytics["pool_size"], analytics["pre_ping"], analytics["recycle"]] == [
        10,
        True,
        280,
    ], "The analytics engine is MySQL: give it the MySQL pool settings, not the main engine's"


@pytest.mark.points(14)
def test_each_table_in_its_database(learner, cli):
    """flask init-db puts products in the main database and page views in analytics"""
    result = cli("init-db")
    assert result.exit_code == 0 and "Initialized the databases." in result.output, (
        "flask init-db should create the tables and say so"
    )
    assert learner.eval(TABLES.format(key=None)) == ["product"], (
        "Only the product table belongs in the main database"
    )
    assert learner.eval(TABLES.format(key="analytics")) == ["page_view"], (
        "The page_view table belongs in the analytics database: bind the model to it"
    )


@pytest.mark.points(14)
def test_views_are_counted_in_analytics(client, learner):
    """Each product page records a view in the analytics database"""
    learner.eval("app.extensions['sqlalchemy'].create_all()")
    for name, price in (("Teapot", 2500), ("Mug", 850)):
        r = client.post("/products", json={"name": name, "price_cents": price})
        assert r.status_code == 201, "POST /products should create a product"
    for product_id in (1, 2, 1, 1):
        assert client.get(f"/products/{product_id}").status_code == 200, (
            "GET /products/<id> should find the product"
        )
    assert client.get("/products/9").status_code == 404, "An unknown product is a 404"
    assert client.get("/stats").get_json() == {"views": {"1": 3, "2": 1}}, (
        "GET /stats should count the recorded views per product"
    )
    rows = learner.eval(
        "__import__('sqlite3').connect(app.extensions['sqlalchemy'].engines['analytics']"
        ".url.database).execute('SELECT COUNT(*) FROM page_view').fetchone()[0]"
    )
    assert rows == 4, "The views should be stored in the analytics database file"
