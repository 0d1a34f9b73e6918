"""Public checks for the toolbar: run them with `grader test` while you work."""

from __future__ import annotations

import pytest


def test_no_toolbar_in_production(client):
    """Without debug mode, pages have no toolbar"""
    page = client.get("/")
    assert page.status_code == 200
    assert "flDebug" not in page.text, "The toolbar must never reach a production page"


@pytest.mark.learner_env(FLASK_DEBUG="1")
def test_toolbar_in_debug_mode(client):
    """In debug mode the toolbar and the Queries panel are on the page"""
    html = client.get("/").text
    assert 'id="flDebug"' in html, "Bind the toolbar so it is enabled in debug mode"
    assert '<li id="flDebugQueriesPanel">' in html, "List panels.QueriesPanel in DEBUG_TB_PANELS"
