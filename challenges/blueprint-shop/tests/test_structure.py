"""Hidden tests: how the blueprints are built and registered."""

from __future__ import annotations

import pytest


@pytest.mark.points(10)
def test_blueprints_live_in_their_modules(learner):
    """Each blueprint is defined as bp in its own module"""
    assert sorted(learner.eval("list(app.blueprints)")) == ["admin", "catalog"], (
        "Register exactly the catalog and admin blueprints"
    )
    assert learner.eval("app.blueprints['catalog'].import_name") == "shop.catalog", (
        "Define the catalog blueprint in shop/catalog.py"
    )
    assert learner.eval("app.blueprints['admin'].import_name") == "shop.admin", (
        "Define the admin blueprint in shop/admin.py"
    )
    assert learner.eval("__import__('shop.catalog', fromlist=['bp']).bp.name") == "catalog", (
        "shop/catalog.py should expose its blueprint as bp"
    )


@pytest.mark.points(10)
def test_url_rules_and_endpoints(learner):
    """Routes carry the blueprint prefixes and endpoint names"""
    rules = learner.eval(
        "sorted((r.rule, r.endpoint) for r in app.url_map.iter_rules() if r.endpoint != 'static')"
    )
    rules = [tuple(rule) for rule in rules]
    assert ("/catalog/<int:product_id>", "catalog.product") in rules, (
        "The product page belongs to the catalog blueprint, under /catalog"
    )
    assert ("/admin/products", "admin.add_product") in rules, (
        "Adding a product belongs to the admin blueprint, under /admin"
    )
    assert not any(rule.startswith("/products") for rule, _ in rules), (
        "No route should stay outside the blueprints"
    )
