"""Tests for the shop API."""

from __future__ import annotations

import rates


def test_known_product(client):
    response = client.get("/products/1")
    assert response.status_code == 200
    assert response.get_json()["name"] == "Teapot"


def test_order(client):
    response = client.post("/orders", json={"product_id": 1, "quantity": 2})
    assert response.status_code == 201
    assert response.get_json()["total"] == 50.0


def test_price_in_dollars(client, monkeypatch):
    monkeypatch.setattr(rates, "get_rate", lambda currency: 1.0)
    response = client.get("/products/1/price")
    assert response.get_json() == {"currency": "USD", "price": 25.0}
