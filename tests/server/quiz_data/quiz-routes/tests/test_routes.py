"""Hidden tests of the server's own test challenge."""

import pytest


@pytest.mark.points(40)
def test_index(client):
    """The index greets Flask"""
    response = client.get("/")
    assert response.status_code == 200, "GET / must answer 200"
    assert response.text == "Hello, Flask!", "GET / must answer 'Hello, Flask!'"


@pytest.mark.points(60)
def test_hello_name(client):
    """A dynamic route greets by name"""
    response = client.get("/hello/ann")
    assert response.status_code == 200, "GET /hello/<name> must answer 200"
    assert response.text == "Hello, ann!", "Greet the name from the URL"
