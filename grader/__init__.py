"""The grading server: `create_app` builds the Flask application (see `grader.app`).

Importing the package stays cheap: the `grader` command-line tool lives in `grader.client`, and
the server's modules load only when `create_app` is first looked up (`flask --app grader` does).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["MIGRATIONS", "create_app"]


def __getattr__(name: str) -> Any:
    # PEP 562: the factory is imported on first use, so `grader --help` does not load Flask.
    if name in __all__:
        return getattr(importlib.import_module(".app", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
