"""Hidden tests: in debug mode the toolbar is there, leaves redirects and JSON alone, and shows the Queries panel."""

from __future__ import annotations

import json
import re

import pytest

# what `flask run --debug` sets; Flask reads it into app.debug
pytestmark = pytest.mark.learner_env(FLASK_DEBUG="1")

SCRIPT = "<script>alert(1)</script>"


def nav_item(html: str, dom_id: str) -> str:
    """The toolbar's menu entry of one panel: <li id="flDebug...Panel"> ... </li>."""
    found = re.search(rf'<li id="{dom_id}">(.*?)</li>', html, re.DOTALL)
    return found.group(1) if found else ""


def subtitle(nav: str) -> str:
    """The subtitle the toolbar shows under a panel's title in its menu entry."""
    found = re.search(r"<small>(.*?)</small>", nav, re.DOTALL)
    return found.group(1).strip() if found else ""


def panel_content(html: str, dom_id: str) -> str:
    """The content block of one panel, up to the next panel's block."""
    start = html.find(f'id="{dom_id}-content"')
    if start < 0:
        return ""
    end = html.find('class="flDebugPanelContentParent"', start + len(dom_id) + 20)
    return html[start:end if end > 0 else len(html)]


@pytest.mark.points(15)
def test_toolbar_in_debug_mode(client, learner):
    """In debug mode the toolbar is added to HTML pages, and to nothing else"""
    assert learner.eval("app.debug") is True, "FLASK_DEBUG=1 should put the app in debug mode"
    page = client.get("/")
    assert page.status_code == 200, "The home page should work in debug mode"
    html = page.text
    assert 'id="flDebug"' in html, "Bind the toolbar so it is enabled in debug mode"
    assert html.find('id="flDebug"') < html.lower().rfind("</body>"), (
        "The toolbar goes inside the page's body"
    )
    assert client.get("/_debug_toolbar/static/css/toolbar.css").status_code == 200, (
        "The toolbar's own files should be served in debug mode"
    )
    api = client.get("/api/notes")
    assert api.mimetype == "application/json", "The JSON API answers JSON in debug mode too"
    assert len(json.loads(api.text)["notes"]) == 3, "The JSON API lists the three seed notes"


@pytest.mark.points(15)
def test_redirects_are_not_intercepted(client):
    """In debug mode a redirect is still a redirect"""
    r = client.post("/notes", data={"body": "Buy more butter"})
    assert r.status_code == 303, (
        "The toolbar replaced the redirect with a page of its own: turn that off"
    )
    assert r.location and r.location.endswith("/"), "After adding a note, go back to the list"
    assert "Buy more butter" in client.get("/").text, "The new note is on the list"


@pytest.mark.points(10)
def test_chosen_panels(client):
    """The toolbar shows the chosen panels and not the configuration panel"""
    html = client.get("/").text
    for dom_id in ("flDebugTimerPanel", "flDebugRequestVarsPanel", "flDebugTemplatePanel",
                   "flDebugLoggingPanel", "flDebugQueriesPanel"):
        assert f'<li id="{dom_id}">' in html, (
            f"Missing panel {dom_id}: list it in DEBUG_TB_PANELS"
        )
    assert 'id="flDebugConfigVarsPanel"' not in html, (
        "The configuration panel prints SECRET_KEY on every page: leave it out"
    )


@pytest.mark.points(15)
def test_queries_panel_counts_this_request(client):
    """The Queries panel counts the statements of this request only"""
    nav = nav_item(client.get("/").text, "flDebugQueriesPanel")
    assert "Queries" in nav, "The panel's menu entry is titled Queries"
    assert subtitle(nav) == "2 queries", (
        "The home page runs two statements: the subtitle should say '2 queries'"
    )
    nav = nav_item(client.get("/search?q=flour").text, "flDebugQueriesPanel")
    assert subtitle(nav) == "1 query", (
        "A search runs one statement: '1 query', counted for this request only"
    )


@pytest.mark.points(15)
def test_queries_panel_lists_statements_escaped(client):
    """The Queries panel lists each statement and its parameters, escaped"""
    html = client.get("/search", query_string={"q": SCRIPT}).text
    content = panel_content(html, "flDebugQueriesPanel")
    assert content, "The Queries panel has content: has_content and content()"
    assert "SELECT id, body FROM notes WHERE body LIKE ? ORDER BY id" in content, (
        "Show the SQL of each statement"
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content, "Show each statement's parameters"
    assert SCRIPT not in html, (
        "The toolbar inserts a panel's HTML as it is: escape what came from the request"
    )
