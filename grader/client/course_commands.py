"""The course commands of `grader`: `courses`, `join`, `gradebook` (parsing only)."""

from __future__ import annotations

from collections.abc import Callable

import click

from . import courses


def register(group: click.Group, run: Callable[..., None], json_option: Callable) -> None:
    """Add the course commands to the `grader` group (`run` calls an action, as in cli.py)."""

    @group.command(
        "courses",
        epilog="\b\nExamples:\n  grader courses\n  grader courses flask-101\n"
        "  grader courses flask-101 --json",
    )
    @click.argument("slug", required=False, metavar="[COURSE]")
    @json_option
    def list_courses(slug: str | None, as_json: bool) -> None:
        """List your courses; with COURSE, its assignments with your own dates and scores.

        Times are shown in the course's time zone.
        """
        run(courses.courses, slug, as_json=as_json)

    @group.command(epilog="\b\nExample:\n  grader join K7QM-2XPA")
    @click.argument("code")
    @json_option
    def join(code: str, as_json: bool) -> None:
        """Join a course with the code your teacher gave you."""
        run(courses.join, code, as_json=as_json)

    @group.command(
        epilog="\b\nExamples:\n  grader gradebook flask-101\n"
        "  grader gradebook flask-101 --csv > flask-101.csv"
    )
    @click.argument("slug", metavar="COURSE")
    @click.option("--csv", "as_csv", is_flag=True, help="Print the registrar's CSV instead.")
    @json_option
    def gradebook(slug: str, as_csv: bool, as_json: bool) -> None:
        """Course staff: one row per learner, the credited score of each assignment, a total.

        Late and missing assignments are named at the end of each row.
        """
        if as_csv and as_json:
            raise click.UsageError("choose --csv or --json, not both")
        run(courses.gradebook, slug, as_csv, as_json=as_json)

