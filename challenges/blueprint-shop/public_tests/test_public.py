"""Public checks for the blueprints: run them while you work."""

from __future__ import annotations


def test_catalog_is_public(client):
    """The catalog lists products under /catalog/"""
    r = client.get("/catalog/")
    assert r.status_code == 200
    assert r.get_json()[0]["url"] == "/catalog/1"


def test_both_blueprints_registered(learner):
    """The app has a catalog and an admin blueprint"""
    assert sorted(learner.eval("list(app.blueprints)")) == ["admin", "catalog"]
