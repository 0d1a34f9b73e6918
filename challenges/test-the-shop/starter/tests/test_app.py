"""Tests for the shop API."""

from __future__ import annotations


def test_known_product(client):
    response = client.get("/products/1")
    assert response.status_code == 200
    assert response.get_json()["name"] == "Teapot"
