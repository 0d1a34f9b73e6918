"""Public checks for the versioned shop API: run them while you work."""

from __future__ import annotations


def test_version_1_still_answers_as_before(client):
    """Version 1 keeps its shape"""
    assert client.get("/api/v1/products/1").get_json() == {"id": 1, "name": "Teapot", "price": 25.0}


def test_version_2_has_price_objects(client):
    """Version 2 answers prices as objects in cents"""
    r = client.get("/api/v2/products/1")
    assert r.status_code == 200, "Register the version 2 blueprint under /api/v2"
    assert r.get_json() == {"id": 1, "name": "Teapot", "price": {"amount": 2500, "currency": "EUR"}}
