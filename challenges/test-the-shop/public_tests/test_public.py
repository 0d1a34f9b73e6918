"""Public checks for your test suite: run them while you work."""

from __future__ import annotations


def test_suite_passes_on_the_app(learner):
    """Your tests pass on app.py"""
    result = learner.call(
        "runtests:run_suite", learner.eval("open('app.py', encoding='utf-8').read()")
    )
    assert result["passed"], result["output"]


def test_suite_catches_a_crash_on_unknown_products(learner):
    """Your tests notice when an unknown product crashes the app"""
    source = learner.eval("open('app.py', encoding='utf-8').read()")
    broken = source.replace(
        '        if product_id not in PRODUCTS:\n            return jsonify(error="no such product"), 404\n'
        "        return jsonify(PRODUCTS[product_id])",
        "        return jsonify(PRODUCTS[product_id])",
    )
    assert broken != source
    result = learner.call("runtests:run_suite", broken)
    assert not result["passed"], "Your tests still pass on an app that answers 500 for /products/99"
