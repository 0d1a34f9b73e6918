"""Hidden tests: the French catalog, lazy strings, plurals and numbers."""

from __future__ import annotations

import pytest
from babel.numbers import format_currency

FR = {"Accept-Language": "fr-FR, fr;q=0.9"}
EN = {"Accept-Language": "en-US, en;q=0.9"}


def products(client, headers: dict) -> dict:
    return {p["sku"]: p for p in client.get("/api/products", headers=headers).get_json()["products"]}


@pytest.mark.points(15)
def test_page_is_translated(client):
    """The home page is in French for a French browser and in English otherwise"""
    page = client.get("/?name=Ann", headers=FR).text
    assert '<html lang="fr">' in page, "Say the page's language in <html lang>"
    for text in ("<title>La Boulangerie</title>", "Bienvenue dans notre boulangerie",
                 "Bonjour, Ann !"):
        assert text in page, f"Translate every text of the page; missing: {text}"
    assert "Bonjour, ami !" in client.get("/", headers=FR).text, (
        "Without a name, greet an 'ami': the default name is translated too"
    )
    page = client.get("/?name=Ann", headers=EN).text
    assert '<html lang="en">' in page and "Welcome to our bakery" in page, "English stays English"
    assert "Hello, Ann!" in page and "Hello, friend!" in client.get("/", headers=EN).text, (
        "The English greeting is Hello, <name>!"
    )


@pytest.mark.points(5)
def test_name_is_escaped(client):
    """A name in the greeting is escaped in both languages"""
    for headers, greeting in ((FR, "Bonjour, &lt;b&gt;Ann&lt;/b&gt; !"),
                              (EN, "Hello, &lt;b&gt;Ann&lt;/b&gt;!")):
        page = client.get("/?name=<b>Ann</b>", headers=headers).text
        assert greeting in page and "<b>Ann</b>" not in page, (
            "Pass the name to _() as a variable so Jinja escapes it"
        )


@pytest.mark.points(15)
def test_product_names_are_translated(client):
    """Product names defined at import time are translated for each request"""
    french = products(client, FR)
    assert [french[s]["name"] for s in ("rye", "turnover", "eclair")] == [
        "Pain de seigle", "Chausson aux pommes", "Éclair au chocolat"], (
        "The names are fixed when the module is imported, outside any request: use lazy strings"
    )
    english = products(client, EN)
    assert [english[s]["name"] for s in ("rye", "turnover", "eclair")] == [
        "Rye loaf", "Apple turnover", "Chocolate eclair"], "The same process still answers in English"


@pytest.mark.points(15)
def test_plurals(client):
    """Stock counts use the plural forms of each language"""
    french = products(client, FR)
    assert [french[s]["stock"] for s in ("rye", "turnover", "eclair")] == [
        "12 pièces restantes", "1 pièce restante", "0 pièce restante"], (
        "Use ngettext, and the French plural rule of the catalog: 0 and 1 are singular in French"
    )
    english = products(client, EN)
    assert [english[s]["stock"] for s in ("rye", "turnover", "eclair")] == [
        "12 pieces left", "1 piece left", "0 pieces left"], "In English, 0 is plural"


@pytest.mark.points(10)
def test_prices_are_localized(client):
    """Prices are formatted the way each language writes euros"""
    french, english = products(client, FR), products(client, EN)
    for sku, price in (("rye", 3.5), ("turnover", 1.8)):
        assert french[sku]["price"] == format_currency(price, "EUR", locale="fr"), (
            "Format prices for the request's locale: French writes 3,50 € (comma, then the sign)"
        )
        assert english[sku]["price"] == format_currency(price, "EUR", locale="en"), (
            "English writes €3.50"
        )


@pytest.mark.points(10)
def test_error_message_is_translated(client):
    """The 404 message of the API is translated"""
    r = client.get("/api/products/brioche", headers=FR)
    assert r.status_code == 404, "An unknown product is 404"
    assert r.get_json() == {"error": "Aucun produit nommé brioche"}, (
        "Translate the error too, with the sku as a variable of the message"
    )
    assert client.get("/api/products/brioche", headers=EN).get_json() == {
        "error": "No product called brioche"}, "The English message stays"
    assert client.get("/api/products/eclair", headers=FR).get_json()["name"] == "Éclair au chocolat", (
        "One product answers in the same shape as in the list"
    )
