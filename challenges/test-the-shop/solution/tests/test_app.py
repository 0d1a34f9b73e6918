"""Tests for the shop API."""

from __future__ import annotations

import pytest

import rates


@pytest.fixture
def rate(monkeypatch):
    """Replace the exchange-rate service: tests never touch the network."""
    table = {"USD": 1.0, "EUR": 0.5}

    def fake_get_rate(currency):
        return table[currency]

    monkeypatch.setattr(rates, "get_rate", fake_get_rate)
    return table


def test_known_product(client):
    response = client.get("/products/1")
    assert response.status_code == 200
    assert response.get_json() == {"id": 1, "name": "Teapot", "price": 25.0}


def test_unknown_product(client):
    response = client.get("/products/99")
    assert response.status_code == 404
    assert "error" in response.get_json()


@pytest.mark.parametrize("product_id, quantity, total", [(1, 2, 50.0), (2, 3, 25.5), (2, 10, 85.0)])
def test_order_total(client, product_id, quantity, total):
    response = client.post("/orders", json={"product_id": product_id, "quantity": quantity})
    assert response.status_code == 201
    assert response.get_json() == {"product_id": product_id, "quantity": quantity, "total": total}


@pytest.mark.parametrize("quantity", [0, -1, 11, "2", True, 1.5, None])
def test_bad_quantity(client, quantity):
    response = client.post("/orders", json={"product_id": 1, "quantity": quantity})
    assert response.status_code == 400


def test_max_quantity_comes_from_config():
    from app import create_app

    client = create_app({"TESTING": True, "MAX_QUANTITY": 3}).test_client()
    assert client.post("/orders", json={"product_id": 1, "quantity": 3}).status_code == 201
    assert client.post("/orders", json={"product_id": 1, "quantity": 4}).status_code == 400


def test_order_unknown_product(client):
    response = client.post("/orders", json={"product_id": 42, "quantity": 1})
    assert response.status_code == 404


def test_converted_price(client, rate):
    response = client.get("/products/2/price", query_string={"currency": "eur"})
    assert response.status_code == 200
    assert response.get_json() == {"currency": "EUR", "price": 4.25}


def test_unknown_currency(client, rate):
    response = client.get("/products/1/price", query_string={"currency": "XYZ"})
    assert response.status_code == 400


def test_price_of_unknown_product(client, rate):
    assert client.get("/products/7/price", query_string={"currency": "EUR"}).status_code == 404


def test_rates_service_down(client, monkeypatch):
    def broken(currency):
        raise rates.RatesUnavailable("timeout")

    monkeypatch.setattr(rates, "get_rate", broken)
    response = client.get("/products/1/price", query_string={"currency": "EUR"})
    assert response.status_code == 503
