"""Tests for the shop API."""

from __future__ import annotations


def test_products(client):
    client.get("/products/1")
    client.get("/products/99")


def test_orders(client):
    client.post("/orders", json={"product_id": 1, "quantity": 2})
    client.post("/orders", json={"product_id": 1, "quantity": 0})


def test_prices(client):
    client.get("/products/1/price", query_string={"currency": "EUR"})
