"""Public checks for the migrations: run them while you work."""

from __future__ import annotations


def test_upgrade_runs(cli):
    """flask db upgrade succeeds on an empty database"""
    result = cli("db", "upgrade")
    assert result.exit_code == 0, result.output


def test_app_after_upgrade(cli, client):
    """After the upgrade the app can save a recipe"""
    assert cli("db", "upgrade").exit_code == 0
    r = client.post("/recipes", json={"title": "Pancakes", "servings": 4, "ingredients": []})
    assert r.status_code == 201
    assert client.get("/recipes").get_json() == [
        {"id": 1, "title": "Pancakes", "servings": 4, "ingredients": []}
    ]
