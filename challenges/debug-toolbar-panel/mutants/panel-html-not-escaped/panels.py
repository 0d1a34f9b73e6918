"""A debug toolbar panel that lists the SQL statements of the current request."""

from __future__ import annotations

from flask import g
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
        rows = "".join(f"<tr><td>{q['sql']}</td><td>{q['params']}</td><td>{q['ms']}</td></tr>"
                       for q in g.get("queries", []))
        return f"<table><tr><th>SQL</th><th>Parameters</th><th>Time (ms)</th></tr>{rows}</table>"
