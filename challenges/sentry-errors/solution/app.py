"""The bakery's order API, reporting its errors to Sentry."""

from __future__ import annotations

import os

import sentry_sdk
from flask import Flask, jsonify, request
from sentry_sdk.integrations.flask import FlaskIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber
from werkzeug.exceptions import InternalServerError

import gateway

VERSION = "1.4.0"
# card data travels in the request body and in the local variables of every traceback
CARD_FIELDS = ["card_number", "card", "cvc"]

ORDERS = {
    1: {"customer": "Ann", "total": 12.5},
    2: {"total": 3.0},  # imported from the old shop without a customer: GET its invoice to see
}


def init_sentry() -> None:
    """Report to Sentry only where a DSN is configured: not on a laptop, not in unit tests."""
    dsn = os.environ.get("SENTRY_DSN")
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=f"bakery@{VERSION}",
        integrations=[FlaskIntegration()],
        # only the integrations listed above: trying every known library costs start-up time
        auto_enabling_integrations=False,
        send_default_pii=False,
        # the default list (password, token, cookie...) plus our own names, in nested data too
        event_scrubber=EventScrubber(denylist=[*DEFAULT_DENYLIST, *CARD_FIELDS], recursive=True),
    )


def create_app() -> Flask:
    init_sentry()
    app = Flask(__name__)

    @app.before_request
    def identify_user():
        user_id = request.headers.get("X-User-Id")
        if user_id:
            sentry_sdk.set_user({"id": user_id})  # an id, nothing that names the person

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
        except gateway.GatewayUnavailable as exc:
            # handled, so Flask will not report it: send it ourselves, with its traceback
            event_id = sentry_sdk.capture_exception(exc)
            return jsonify(error="payment provider unavailable", event_id=event_id), 502
        return jsonify(charge_id=charge_id), 201

    # a 500 handler runs after Flask has signalled the exception, so Sentry has captured it
    @app.errorhandler(InternalServerError)
    def internal_error(error):
        return jsonify(error="internal server error", event_id=sentry_sdk.last_event_id()), 500

    return app
