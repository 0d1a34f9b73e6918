"""Public checks for the bakery's mail: run them with `grader test` while you work."""

from __future__ import annotations

import pytest

# no mail server here: Flask-Mail records the messages instead of sending them
pytestmark = pytest.mark.learner_env(MAIL_SUPPRESS_SEND="1")


def test_contact_form_sends_one_mail(client, outbox):
    """The contact form sends one mail to the shop"""
    r = client.post("/contact", json={"name": "Ann", "email": "ann@example.com",
                                      "message": "Do you bake rye bread?"})
    assert r.status_code == 202, "A sent contact message answers 202 Accepted"
    sent = outbox()
    assert len(sent) == 1, "Exactly one mail should leave for each contact message"
    assert sent[0]["recipients"] == ["orders@bakery.example"]


def test_signup_sends_a_welcome(client, outbox):
    """Signing up sends a welcome mail to the new customer"""
    r = client.post("/signup", json={"name": "Ann", "email": "ann@example.com"})
    assert r.status_code == 201
    sent = outbox()
    assert len(sent) == 1 and sent[0]["recipients"] == ["ann@example.com"]
    assert sent[0]["subject"] == "Welcome to the Bakery"
