"""Hidden tests of the scale-out challenge: three quick checks, so three live events each."""

from __future__ import annotations

import pytest


@pytest.mark.points(30)
def test_home(client):
    """The home page says hello"""
    assert client.get("/").text == "Hello!", "The home page should answer exactly 'Hello!'"


@pytest.mark.points(30)
def test_greet(client):
    """/greet/<name> greets by name"""
    assert client.get("/greet/Ann").text == "Hello, Ann!", "Greet with 'Hello, <name>!'"


@pytest.mark.points(30)
def test_unknown(client):
    """Other URLs are Not Found"""
    assert client.get("/nowhere").status_code == 404, "Only the two URLs should exist"
