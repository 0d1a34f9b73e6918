"""Public tests: run them with `grader test`."""

from __future__ import annotations

import pytest


def test_defaults(client):
    """The home page shows the default settings"""
    r = client.get("/")
    assert r.status_code == 200
    assert r.get_json() == {"shelf": "My shelf", "books_per_page": 10}


@pytest.mark.learner_env(BOOKSHELF_BOOKS_PER_PAGE="25")
def test_environment(client):
    """An environment variable changes a setting"""
    assert client.get("/").get_json()["books_per_page"] == 25
