"""The bakery's order API, reporting its errors to Sentry."""

from __future__ import annotations

import os

import sentry_sdk
from flask import Flask, jsonify, request
from sentry_sdk.integrations.flask import FlaskIntegration
from werkzeug.exceptions import InternalServerError

import gateway

VERSION = "1.4.0"

ORDERS = {
    1: {"customer": "Ann", "total": 12.5},
    2: {"total": 3.0},  # imported from the old shop without a customer: GET its invoice to see
}


def init_sentry() -> None:
    """Set up the Sentry SDK: see the statement."""


def create_app() -> Flask:
    init_sentry()
    app = Flask(__name__)

    @app.get("/orders/<int:order_id>/invoice")
    def invoice(order_id: int):
        if order_id not in ORDERS:
            return jsonify(error=f"no order {order_id}"), 404
        order = ORDERS[order_id]
        return jsonify(order_id=order_id, customer=order["customer"], total=order["total"])

    @app.post("/payments")
    def pay():
        data = request.get_json(silent=True) or {}
        order_id, card = data.get("order_id"), data.get("card_number")
        if not isinstance(order_id, int) or order_id not in ORDERS or not isinstance(card, str):
            return jsonify(error="order_id and card_number are required"), 400
        try:
            charge_id = gateway.charge(order_id, card, ORDERS[order_id]["total"])
        except gateway.CardDeclined:
            return jsonify(error="card declined"), 402  # the bank said no: nothing to fix
        except gateway.GatewayUnavailable:
            return jsonify(error="payment provider unavailable", event_id=None), 502
        return jsonify(charge_id=charge_id), 201

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        return jsonify(error="internal server error", event_id=None), 500

    return app
