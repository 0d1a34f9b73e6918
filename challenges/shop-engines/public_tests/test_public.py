"""Public checks for the shop's databases: run them while you work."""

from __future__ import annotations


def test_sqlite_by_default(learner):
    """Without settings the shop uses SQLite"""
    assert learner.call("shop.config:database_url", {}) == "sqlite:///shop.sqlite"


def test_url_from_parts(learner):
    """DB_* variables make a PostgreSQL URL"""
    url = learner.call(
        "shop.config:database_url",
        {"DB_HOST": "db.internal", "DB_USER": "shop", "DB_PASSWORD": "pw", "DB_NAME": "shop"},
    )
    assert url == "postgresql+psycopg://shop:pw@db.internal/shop"
