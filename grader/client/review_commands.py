"""`grader similarity SLUG`: the most similar pairs of learners' code (teachers)."""

from __future__ import annotations

import time
from typing import Any

import click

from . import render
from .actions import connected
from .errors import ExitCode, Failure

POLL_S = 0.5


def similarity(console: render.Console, slug: str, threshold: float, limit: int,
               wait: bool, timeout_s: float) -> ExitCode:
    """The most similar pairs of learners' best submissions of a challenge (teachers)."""
    path = f"challenges/{slug}/similarity"
    with connected(what=f"challenge {slug!r}", slug=slug) as client:
        deadline = time.monotonic() + timeout_s
        shown_progress = ""
        while True:
            response = client.request("GET", path, params={"threshold": threshold,
                                                           "limit": limit})
            body = response.json()
            if response.status_code == 200:
                break
            note = f"Comparing: {body.get('done', 0)}/{body.get('total', 0)} pairs " \
                   f"of {body.get('submissions', 0)} learners' best submissions ({body.get('state')})"
            if not wait:
                if console.as_json:
                    console.data(body)
                else:
                    console.out(note + f". Run `grader similarity {slug}` again in a moment.")
                return ExitCode.NOT_PASSED
            if note != shown_progress:
                console.note(note)
                shown_progress = note
            if time.monotonic() > deadline:
                raise Failure(f"The similarity of {slug} was not ready within {timeout_s:.0f} s; "
                              "run the command again later.")
            time.sleep(POLL_S)
    if console.as_json:
        console.data(body)
        return ExitCode.OK
    pairs = body.get("pairs") or []
    console.out(f"{body.get('submissions', 0)} learners' best submissions of {slug}, "
                f"{body.get('compared', 0)} pairs compared.")
    if not pairs:
        console.out(f"No pair is at least {threshold:.0%} similar.")
        return ExitCode.OK
    console.out(render.table(
        ["similarity", "learners", "submissions", "matches"],
        [(f"{p['similarity']:.0%}", f"{p['users'][0]} / {p['users'][1]}",
          f"{p['a']} / {p['b']}", len(p.get("matches") or [])) for p in pairs]))
    return ExitCode.OK


def register(cli: click.Group, run: Any, json_option: Any) -> None:
    """Add the review commands to the `grader` group."""

    @cli.command(
        "similarity",
        epilog="\b\nExamples:\n  grader similarity notes-api\n"
        "  grader similarity notes-api --threshold 0.8 --json"
    )
    @click.argument("slug")
    @click.option("--threshold", default=0.5, show_default=True, type=click.FloatRange(0, 1),
                  help="Only pairs at least this similar (0 to 1).")
    @click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(min=1),
                  help="Show at most this many pairs.")
    @click.option("--no-wait", is_flag=True,
                  help="Do not wait while the server computes; exit 1 if it is not done.")
    @click.option("--timeout", "timeout_s", default=300.0, show_default=True,
                  type=click.FloatRange(min=1), help="Seconds to wait for the computation.")
    @json_option
    def similarity_command(slug: str, threshold: float, limit: int, no_wait: bool,
                           timeout_s: float, as_json: bool) -> None:
        """Teachers: the pairs of learners whose best submissions share the most code.

        The server compares each learner's best submission with every other one (the starter
        code left out) in the background and keeps the result until a new submission arrives.
        """
        run(similarity, slug, threshold, limit, not no_wait, timeout_s, as_json=as_json)
