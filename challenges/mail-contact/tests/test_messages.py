"""Hidden tests: the messages the bakery sends."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.learner_env(MAIL_SUPPRESS_SEND="1")

VISIT = {"name": "Ann Smith", "email": "ann@example.com", "message": "Do you bake rye bread?"}


@pytest.mark.points(15)
def test_contact_message(client, outbox):
    """A contact message reaches the shop, and answering it reaches the visitor"""
    r = client.post("/contact", json=VISIT)
    assert r.status_code == 202 and r.get_json() == {"status": "sent"}, (
        "A sent contact message answers 202 {\"status\": \"sent\"}"
    )
    sent = outbox()
    assert len(sent) == 1, "Send exactly one mail per contact message"
    mail = sent[0]
    assert mail["recipients"] == ["orders@bakery.example"], (
        "recipients is a list of addresses, with the shop's CONTACT_EMAIL in it"
    )
    assert mail["subject"] == "Contact form: Ann Smith", "Check the subject"
    assert mail["sender"] == "Bakery <noreply@bakery.example>", (
        "The shop sends this mail from its own address: a visitor's address in From is spoofing"
    )
    assert mail["reply_to"] == "ann@example.com", "Answering the mail should reach the visitor"
    assert "Do you bake rye bread?" in (mail["body"] or "") and "ann@example.com" in mail["body"], (
        "The text body should hold the message and the visitor's address"
    )


@pytest.mark.learner_env(CONTACT_EMAIL="hello@bakery.example")
@pytest.mark.points(5)
def test_contact_address_from_environment(client, outbox):
    """Contact messages go to CONTACT_EMAIL when it is set"""
    client.post("/contact", json=VISIT)
    sent = outbox()
    assert [m["recipients"] for m in sent] == [["hello@bakery.example"]], (
        "Read the shop's address from the CONTACT_EMAIL environment variable"
    )


BAD_CONTACTS = [
    ("a missing name", {"email": "ann@example.com", "message": "Hi"}),
    ("a blank name", {"name": "  ", "email": "ann@example.com", "message": "Hi"}),
    ("a name with a line break", {"name": "Ann\r\nBcc: everyone@example.com",
                                  "email": "ann@example.com", "message": "Hi"}),
    ("a name of 101 characters", {"name": "A" * 101, "email": "ann@example.com", "message": "Hi"}),
    ("an address without @", {"name": "Ann", "email": "ann.example.com", "message": "Hi"}),
    ("an address with a line break", {"name": "Ann", "email": "ann@example.com\nBcc: x@example.com",
                                      "message": "Hi"}),
    ("an empty message", {"name": "Ann", "email": "ann@example.com", "message": ""}),
    ("a message of 5001 characters", {"name": "Ann", "email": "ann@example.com",
                                      "message": "x" * 5001}),
    ("a JSON list instead of an object", ["Ann", "ann@example.com", "Hi"]),
]


@pytest.mark.points(20)
def test_contact_refuses_bad_input(client, outbox):
    """A bad contact message is refused with 400 and sends nothing"""
    for label, body in BAD_CONTACTS:
        r = client.post("/contact", json=body)
        assert r.status_code == 400, f"Check every field before sending: {label} should be a 400"
        assert "error" in (r.get_json() or {}), f"Explain the problem in an 'error' field ({label})"
        assert outbox() == [], f"Nothing may be sent for a refused message ({label})"


@pytest.mark.points(15)
def test_welcome_mail(client, outbox):
    """The welcome mail has a text part and an HTML part, both from templates"""
    r = client.post("/signup", json={"name": "Ann", "email": "ann@example.com"})
    assert r.status_code == 201 and r.get_json() == {"email": "ann@example.com"}, (
        "Signing up answers 201 with the address"
    )
    sent = outbox()
    assert len(sent) == 1, "Send exactly one welcome mail"
    mail = sent[0]
    assert mail["recipients"] == ["ann@example.com"], "The welcome goes to the new customer"
    assert mail["subject"] == "Welcome to the Bakery", "Check the subject"
    assert mail["sender"] == "Bakery <noreply@bakery.example>", "Send from the default sender"
    assert mail["body"] and "Hello Ann," in mail["body"], (
        "Render email/welcome.txt as the text body"
    )
    assert mail["html"] and "<p>Hello Ann,</p>" in mail["html"], (
        "Render email/welcome.html as the HTML body"
    )


@pytest.mark.points(15)
def test_welcome_links_are_absolute(client, outbox):
    """The links in the welcome mail work from a mail reader"""
    client.post("/signup", json={"name": "Ann", "email": "ann@example.com"})
    sent = outbox()
    assert len(sent) == 1, "Send exactly one welcome mail"
    assert "http://localhost/menu" in (sent[0]["body"] or ""), (
        "A mail is not read on your site: a link needs the scheme and the host"
    )
    assert 'href="http://localhost/menu"' in (sent[0]["html"] or ""), (
        "The HTML part should link to the menu with a full URL too"
    )


@pytest.mark.points(5)
def test_welcome_html_is_escaped(client, outbox):
    """A name is escaped in the HTML part and kept as typed in the text part"""
    client.post("/signup", json={"name": "<b>Ann</b>", "email": "ann@example.com"})
    sent = outbox()
    assert len(sent) == 1, "Send exactly one welcome mail"
    assert "&lt;b&gt;Ann&lt;/b&gt;" in (sent[0]["html"] or ""), (
        "Render the HTML part with a .html template so Jinja escapes what visitors type"
    )
    assert "Hello <b>Ann</b>," in (sent[0]["body"] or ""), (
        "The text part is not HTML: nothing to escape there"
    )


@pytest.mark.points(5)
def test_signup_refuses_bad_input(client, outbox):
    """A bad sign-up is refused with 400 and sends nothing"""
    for label, body in [("a missing name", {"email": "ann@example.com"}),
                        ("an address without a domain", {"name": "Ann", "email": "ann"})]:
        r = client.post("/signup", json=body)
        assert r.status_code == 400, f"Check the name and the address first: {label} is a 400"
        assert outbox() == [], f"Nothing may be sent for a refused sign-up ({label})"
