"""Public tests: run them with `grader test`."""

from __future__ import annotations


def render(learner, source: str) -> str:
    return learner.eval(f"app.jinja_env.from_string({source!r}).render()")


def test_money(learner):
    """money writes prices with a symbol, thousands and two decimals"""
    assert render(learner, "{{ 1234.5|money }}") == "€1,234.50"


def test_invoice_total(client):
    """The invoice shows its total as money"""
    r = client.get("/invoice")
    assert r.status_code == 200
    assert '<p id="total">Total: €1,278.00</p>' in r.text
