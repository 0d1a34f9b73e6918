"""The `grader` command-line tool: an HTTP and Socket.IO client of the grading server."""

from __future__ import annotations

__version__ = "0.1.0"
