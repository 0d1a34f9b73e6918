"""`grader serve`: the embedded default, one process with SQLite and a thread pool."""

from __future__ import annotations

import os
import secrets
import sys

import click
from flask import Flask

DEMO_TEACHER = "teacher"


def prepare(app: Flask) -> str | None:
    """Build or upgrade the schema, sync bundled challenges, make the demo teacher.

    Returns the demo teacher's password when it was just created (to print it once).
    """
    from flask_migrate import upgrade

    from . import MIGRATIONS
    from .services import accounts, challenges

    with app.app_context():
        upgrade(directory=MIGRATIONS)
        root = app.config["GRADER_CHALLENGES_DIR"]
        if os.path.isdir(root):
            # Bundled challenges are checked in CI; syncing unchanged folders is a no-op.
            for row in challenges.sync(root, validate=False):
                if row["error"]:
                    click.echo(f"challenge {row['slug']} skipped: {row['error']}", err=True)
        if accounts.by_username(DEMO_TEACHER) is None:
            password = os.environ.get("GRADER_DEMO_PASSWORD") or secrets.token_urlsafe(12)
            accounts.register(DEMO_TEACHER, password, role="teacher")
            return password
    return None


def serve(host: str = "127.0.0.1", port: int = 5000) -> None:
    """Run the server with the embedded defaults until interrupted."""
    from . import create_app
    from .config import ConfigError
    from .extensions import socketio

    try:
        app = create_app()
        password = prepare(app)
    except ConfigError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(2)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}/"
    click.echo(f"Flask concept grader running at {url}")
    if password:
        click.echo(f"Demo teacher login: {DEMO_TEACHER} / {password}  (shown only once)")
    else:
        click.echo(f"Demo teacher login: {DEMO_TEACHER} (password shown at first start"
                   " or set with GRADER_DEMO_PASSWORD)")
    queue = app.extensions["grader_queue"]
    queue.recover()
    try:
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False,
                     log_output=False)
    finally:
        # Do not work through the backlog on the way out: what is still queued stays stored
        # and is graded after the next start.
        queue.shutdown(wait=False)


def main(argv: list[str] | None = None) -> None:
    """`python -m grader.serve [--host H] [--port P]` (what `grader serve` runs)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m grader.serve", description=serve.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
