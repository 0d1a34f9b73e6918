"""Hidden tests: outside debug mode there is no toolbar at all."""

from __future__ import annotations

import pytest


@pytest.mark.points(15)
def test_no_toolbar_outside_debug_mode(client, learner):
    """Without debug mode, pages have no toolbar and its routes do not exist"""
    assert learner.eval("app.debug") is False, (
        "Do not switch debug mode on in the code: FLASK_DEBUG decides"
    )
    page = client.get("/")
    assert page.status_code == 200, "The home page should work"
    assert "flDebug" not in page.text, (
        "The toolbar is in a production page: let debug mode alone decide whether it is enabled"
    )
    assert client.get("/_debug_toolbar/static/css/toolbar.css").status_code == 404, (
        "Outside debug mode the toolbar should not even register its routes"
    )
    assert not any(r.startswith("/_debug_toolbar") for r in
                   learner.eval("[r.rule for r in app.url_map.iter_rules()]")), (
        "No /_debug_toolbar route may exist in production"
    )


@pytest.mark.learner_env(SECRET_KEY="from-the-environment-5678")
@pytest.mark.points(5)
def test_secret_key_from_environment(learner):
    """The secret key comes from SECRET_KEY when it is set"""
    assert learner.eval("app.config.get('SECRET_KEY')") == "from-the-environment-5678", (
        "Read SECRET_KEY from the environment, with a development fallback"
    )
