"""Public checks for the SQLite to-do lists: run them while you work."""

from __future__ import annotations


def test_init_db(cli):
    """flask init-db creates the database"""
    result = cli("init-db")
    assert result.exit_code == 0
    assert "Initialized the database." in result.output


def test_a_list_is_saved(cli, client):
    """A new list can be read back"""
    cli("init-db")
    assert client.get("/lists").get_json() == []
    r = client.post("/lists", json={"name": "Groceries"})
    assert r.status_code == 201
    assert client.get("/lists/1").get_json() == {"id": 1, "name": "Groceries", "items": []}
