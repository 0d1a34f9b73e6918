"""A debug toolbar panel that lists the SQL statements of the current request."""

from __future__ import annotations

from flask import g, render_template
from flask_debugtoolbar.panels import DebugPanel


class QueriesPanel(DebugPanel):
    """The statements db.query() ran for this request, read from g.queries."""

    name = "Queries"
    has_content = True

    # Write nav_title(), nav_subtitle(), title(), url() and content(): see the statement.
