"""A bakery that sends mail with Flask-Mail: contact messages to the shop, a welcome to new customers."""

from __future__ import annotations

import os
import re

from flask import Flask, jsonify, render_template, request, url_for
from flask_mail import Mail, Message

# created unbound, bound to each app in the factory
mail = Mail()

EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MENU = ["baguette", "croissant", "pain au chocolat"]


def env_flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment: 1, true or yes mean yes."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes")


def check_name(data: dict) -> str | None:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        return "name is required"
    if len(name) > 100:
        return "name is longer than 100 characters"
    # a line break in a header would let a visitor add headers of their own (Bcc: ...)
    if "\n" in name or "\r" in name:
        return "name must be on one line"
    return None


def check_email(data: dict) -> str | None:
    email = data.get("email")
    if not isinstance(email, str) or not EMAIL_RE.fullmatch(email):
        return "email must be an email address"
    return None


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        MAIL_SERVER=os.environ.get("MAIL_SERVER", "localhost"),
        MAIL_PORT=int(os.environ.get("MAIL_PORT", "587")),
        MAIL_USE_TLS=env_flag("MAIL_USE_TLS", True),
        MAIL_USERNAME=os.environ.get("MAIL_USERNAME"),
        MAIL_PASSWORD=os.environ.get("MAIL_PASSWORD"),
        MAIL_DEFAULT_SENDER=os.environ.get("MAIL_DEFAULT_SENDER",
                                           "Bakery <noreply@bakery.example>"),
        MAIL_SUPPRESS_SEND=env_flag("MAIL_SUPPRESS_SEND", False),
        CONTACT_EMAIL=os.environ.get("CONTACT_EMAIL", "orders@bakery.example"),
    )
    # Flask-Mail reads the configuration once, here: it must be complete by now
    mail.init_app(app)

    @app.get("/menu")
    def menu():
        return jsonify(items=MENU)

    @app.post("/contact")
    def contact():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify(error="send a JSON object"), 400
        message = data.get("message")
        error = check_name(data) or check_email(data)
        if error is None and (not isinstance(message, str) or not message.strip()
                              or len(message) > 5000):
            error = "message must be 1 to 5000 characters"
        if error:
            return jsonify(error=error), 400
        name = data["name"].strip()
        mail.send(Message(
            subject=f"Contact form: {name}",
            recipients=[app.config["CONTACT_EMAIL"]],
            # the shop sends the mail; answering it reaches the visitor
            reply_to=data["email"],
            body=f"From: {name} <{data['email']}>\n\n{message}\n",
        ))
        return jsonify(status="sent"), 202

    @app.post("/signup")
    def signup():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify(error="send a JSON object"), 400
        error = check_name(data) or check_email(data)
        if error:
            return jsonify(error=error), 400
        name, email = data["name"].strip(), data["email"]
        menu_url = url_for("menu")
        mail.send(Message(
            subject="Welcome to the Bakery",
            recipients=[email],
            body=render_template("email/welcome.txt", name=name, menu_url=menu_url),
            html=render_template("email/welcome.html", name=name, menu_url=menu_url),
        ))
        return jsonify(email=email), 201

    return app
