"""`python -m grader.client`: the same as the `grader` command."""

from __future__ import annotations

from .cli import main

main()
