"""Hidden tests: the locale is chosen from the request."""

from __future__ import annotations

import pytest


def language(client, header: str | None = None, query: str = "") -> str:
    headers = {"Accept-Language": header} if header else {}
    return client.get(f"/api/products{query}", headers=headers).headers.get("Content-Language", "")


@pytest.mark.points(15)
def test_locale_from_accept_language(client):
    """The locale is the best supported match of Accept-Language"""
    assert language(client, "fr-CH, fr;q=0.9, en;q=0.8") == "fr", (
        "Every response says its language in Content-Language; a Swiss French browser gets fr"
    )
    assert language(client, "fr-CA") == "fr", "A regional variant matches its language"
    assert language(client, "de-DE, de;q=0.9, fr;q=0.8, en;q=0.5") == "fr", (
        "German is not offered: take the best language you do offer, weighing the q-values"
    )
    assert language(client, "en;q=0.4, fr;q=0.7") == "fr", "The q-values decide, not the order"
    assert language(client, "en-GB, en;q=0.9") == "en", "An English browser gets en"
    assert language(client, "de, es;q=0.5") == "en", "Nothing offered matches: fall back to en"
    assert language(client) == "en", "Without Accept-Language the locale is en"


@pytest.mark.points(10)
def test_lang_argument_wins(client):
    """?lang= chooses a supported language, whatever the browser says"""
    assert language(client, "en", "?lang=fr") == "fr", "?lang=fr overrides Accept-Language"
    assert language(client, "fr", "?lang=en") == "en", "?lang=en overrides Accept-Language"
    assert language(client, "fr", "?lang=xx") == "fr", (
        "An unsupported ?lang= is ignored: Accept-Language decides"
    )
