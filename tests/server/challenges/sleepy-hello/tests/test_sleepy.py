"""Hidden tests of the sleepy challenge: one quick test, then one that waits."""

import pytest


@pytest.mark.points(20)
def test_index(client):
    """The index says hello"""
    assert client.get("/").text == "Hello!", "GET / must answer 'Hello!'"


@pytest.mark.points(80)
def test_slow(client):
    """The slow route answers once it is done"""
    assert client.get("/slow").text == "Done.", "GET /slow must answer 'Done.'"
