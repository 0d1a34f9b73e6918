"""A bakery that sends mail with Flask-Mail: contact messages to the shop, a welcome to new customers."""

from __future__ import annotations

import os
import re

from flask import Flask, jsonify, render_template, request, url_for
from flask_mail import Mail, Message

# Create the extension here, unbound, and bind it to the app in create_app().

EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MENU = ["baguette", "croissant", "pain au chocolat"]


def env_flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment: 1, true or yes mean yes."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes")


def create_app() -> Flask:
    app = Flask(__name__)
    # Configure Flask-Mail from the environment (see the statement), then bind it.

    @app.get("/menu")
    def menu():
        return jsonify(items=MENU)

    @app.post("/contact")
    def contact():
        return jsonify(error="not implemented yet"), 501

    @app.post("/signup")
    def signup():
        return jsonify(error="not implemented yet"), 501

    return app
