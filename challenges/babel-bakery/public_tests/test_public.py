"""Public checks for the translated bakery: run them with `grader test` while you work."""

from __future__ import annotations

FR = {"Accept-Language": "fr-FR, fr;q=0.9, en;q=0.5"}


def test_french_browser_gets_french(client):
    """A French browser gets the page in French"""
    r = client.get("/", headers=FR)
    assert r.headers.get("Content-Language") == "fr", "Choose the locale from Accept-Language"
    assert "Bienvenue dans notre boulangerie" in r.text, "Translate the title in your .po file"


def test_other_browsers_get_english(client):
    """Any other browser gets the page in English"""
    r = client.get("/", headers={"Accept-Language": "de"})
    assert r.headers.get("Content-Language") == "en"
    assert "Welcome to our bakery" in r.text
