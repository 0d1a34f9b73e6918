"""Hidden tests: the learner's tests must pass on working apps and fail on broken ones."""

from __future__ import annotations

import pytest

# behaviour-preserving rewrites: a suite that checks the source text instead of behaviour fails here
REFACTORINGS = [
    (
        'data = request.get_json(silent=True) or {}\n        product_id, quantity = data.get("product_id"), data.get("quantity")',
        'payload = request.get_json(silent=True) or {}\n        quantity = payload.get("quantity")\n        product_id = payload.get("product_id")',
    ),
    ('return jsonify(error="no such product"), 404', 'return {"error": "no such product"}, 404'),
    (
        "def create_app(test_config: dict | None = None) -> Flask:",
        "# refactored\ndef create_app(test_config=None):",
    ),
]

# each one is a bug a test suite should catch
BROKEN = {
    "created-answers-200": [
        (
            "return jsonify(product_id=product_id, quantity=quantity, total=total), 201",
            "return jsonify(product_id=product_id, quantity=quantity, total=total)",
        )
    ],
    "zero-quantity-accepted": [("if not 1 <= quantity <=", "if not 0 <= quantity <=")],
    "max-quantity-ignores-config": [
        ('if not 1 <= quantity <= app.config["MAX_QUANTITY"]:', "if not 1 <= quantity <= 10:")
    ],
    "total-rounded-to-whole": [
        (
            'round(PRODUCTS[product_id]["price"] * quantity, 2)',
            'round(PRODUCTS[product_id]["price"] * quantity)',
        )
    ],
    "unknown-product-crashes": [
        (
            """    def product(product_id: int):
        if product_id not in PRODUCTS:
            return jsonify(error="no such product"), 404
""",
            """    def product(product_id: int):
""",
        )
    ],
    "price-divided-by-rate": [('["price"] * rate, 2)', '["price"] / rate, 2)')],
    "rates-outage-crashes": [
        (
            """        except rates.RatesUnavailable:
            return jsonify(error="exchange rates are unavailable, try again later"), 503
""",
            "",
        )
    ],
}

HINTS = {
    "created-answers-200": "Check the status code of every answer, not only the body",
    "zero-quantity-accepted": "Test the edges of the allowed quantities, not only values in the middle",
    "max-quantity-ignores-config": "The limit is configurable: test the app with another configuration",
    "total-rounded-to-whole": "Test totals whose prices have cents",
    "unknown-product-crashes": "Test what happens when things do not exist, for every route",
    "price-divided-by-rate": "Replace the exchange-rate service with a fake whose rate is not 1",
    "rates-outage-crashes": "Make your fake service fail too: what should the client get then?",
}


def apply(source: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in source, "app.py differs from the one this challenge ships"
        source = source.replace(old, new)
    return source


@pytest.fixture
def app_source(learner) -> str:
    return learner.eval("open('app.py', encoding='utf-8').read()")


def summary(result: dict) -> str:
    return f"{result['tests']} tests, {result['failures']} failures, {result['errors']} errors"


@pytest.mark.points(15)
def test_suite_passes_on_the_real_app(learner, app_source):
    """Your tests pass on the working app"""
    result = learner.call("runtests:run_suite", app_source)
    assert result["tests"] > 0, (
        "No test was collected: name files tests/test_*.py and functions test_*"
    )
    assert result["passed"], (
        "Your tests fail on the working app ("
        + summary(result)
        + "): is everything outside the app mocked?"
    )


@pytest.mark.points(10)
def test_suite_passes_on_a_refactored_app(learner, app_source):
    """Your tests pass on a rewritten but equivalent app"""
    result = learner.call("runtests:run_suite", apply(app_source, REFACTORINGS))
    assert result["passed"], "Test what the app does, not how its code is written"


@pytest.mark.points(10)
@pytest.mark.parametrize(
    "bug",
    [
        "created-answers-200",
        "max-quantity-ignores-config",
        "price-divided-by-rate",
        "rates-outage-crashes",
        "total-rounded-to-whole",
        "unknown-product-crashes",
        "zero-quantity-accepted",
    ],
)
def test_suite_catches_bug(learner, app_source, bug):
    """Your tests catch a bug in a broken version of the app"""
    correct, broken = learner.call(
        "runtests:run_suites", [app_source, apply(app_source, BROKEN[bug])]
    )
    assert correct["passed"], "Your tests must pass on the working app before they can catch bugs"
    assert broken["exit_code"] == 1 and broken["failures"] + broken["errors"] > 0, HINTS[bug]


@pytest.mark.points(5)
def test_suite_has_several_tests(learner, app_source):
    """Your suite has at least eight tests"""
    result = learner.call("runtests:run_suite", app_source)
    assert result["tests"] >= 8, (
        "One test per behaviour, error case and edge: parametrize to cover many inputs cheaply"
    )


EMPTY_APP = '''
from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(MAX_QUANTITY=10, RATES_URL="http://127.0.0.1:9/latest")
    if test_config:
        app.config.update(test_config)
    return app
'''


@pytest.mark.points(5)
def test_suite_fails_on_an_app_without_routes(learner):
    """Your suite fails on an app that has no routes at all"""
    result = learner.call("runtests:run_suite", EMPTY_APP)
    assert result["exit_code"] == 1 and result["failures"] + result["errors"] > 0, (
        "Tests that pass without any route check nothing: assert on every response"
    )
