"""Hidden tests: the pages that use the filters."""

from __future__ import annotations

import pytest


@pytest.mark.points(10)
def test_invoice(client):
    """The invoice page formats names, counts and prices"""
    r = client.get("/invoice")
    assert r.status_code == 200, "The invoice page should render"
    page = r.text
    assert '<span id="avatar">AKL</span>' in page, "The avatar shows the customer's initials"
    assert '<p id="count">6 items</p>' in page, "The item count is pluralized"
    for cell in (
        '<td class="qty">3 notebooks</td>',
        '<td class="qty">1 pen</td>',
        '<td class="qty">2 boxes</td>',
    ):
        assert cell in page, "Each line's quantity is pluralized, with the given plural"
    for cell in (
        '<td class="price">€13.50</td>',
        '<td class="price">€1,250.00</td>',
        '<td class="price">€14.50</td>',
    ):
        assert cell in page, "Each line's price is written as money"
    assert '<p id="total">Total: €1,278.00</p>' in page, "The total is money"
    assert '<p id="total-usd">In dollars: $1,380.24</p>' in page, (
        "The dollar total uses the $ symbol"
    )


@pytest.mark.points(10)
def test_search_page(client):
    """Search results are highlighted and stay escaped"""
    r = client.get("/search", query_string={"q": "pen"})
    assert r.status_code == 200, "The search page should render"
    for item in (
        "<li>Fountain <mark>pen</mark></li>",
        "<li><mark>Pen</mark>cil case</li>",
        "<li><mark>PEN</mark>cil shar<mark>pen</mark>er</li>",
    ):
        assert item in r.text, "Each result has its matches marked"
    r = client.get("/search", query_string={"q": "blue"})
    assert "<li>Ink &lt;b&gt;<mark>blue</mark>&lt;/b&gt;</li>" in r.text, (
        "A product name's own tags must stay text"
    )
