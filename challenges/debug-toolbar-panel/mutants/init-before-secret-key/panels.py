"""A debug toolbar panel that lists the SQL statements of the current request."""

from __future__ import annotations

from flask import g, render_template
from flask_debugtoolbar.panels import DebugPanel


class QueriesPanel(DebugPanel):
    """The statements db.query() ran for this request, read from g.queries."""

    name = "Queries"
    has_content = True

    def nav_title(self) -> str:
        return "Queries"

    def nav_subtitle(self) -> str:
        count = len(g.get("queries", []))
        return "1 query" if count == 1 else f"{count} queries"

    def title(self) -> str:
        return "SQL queries"

    def url(self) -> str:
        return ""

    def content(self) -> str:
        # the toolbar inserts this HTML as it is: render it with an autoescaping .html template
        return render_template("debug/queries.html", queries=g.get("queries", []))
