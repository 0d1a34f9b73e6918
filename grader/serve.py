"""`grader serve`: the embedded default, one process with SQLite and a thread pool.

It is the server for a classroom or a laptop; `compose.yaml` is the production topology (gunicorn
web processes, Celery workers, PostgreSQL, Redis). Ctrl+C and SIGTERM both stop it cleanly:
gradings in progress go back to the queue without costing the learner an attempt.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import sys
from collections.abc import Callable
from typing import Any

import click
from flask import Flask

DEMO_TEACHER = "teacher"
MODE_LINE = ("Embedded single-process server (SQLite, in-process grading) for a classroom or a "
             "laptop; for production use compose.yaml.")


def prepare(app: Flask) -> str | None:
    """Build or upgrade the schema, sync bundled challenges, make the demo teacher.

    Returns the demo teacher's password when it was just created (to print it once).
    """
    from alembic import command

    from .app import MIGRATIONS
    from .services import accounts, versions

    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config(MIGRATIONS)
        # Keep the server's own logging (and its first line, the URL): see migrations/env.py.
        config.attributes["configure_logger"] = False
        command.upgrade(config, "head")
        root = app.config["GRADER_CHALLENGES_DIR"]
        if os.path.isdir(root):
            # Bundled challenges are checked in CI; syncing unchanged folders is a no-op.
            for row in versions.sync(root, validate=False):
                if row["error"]:
                    click.echo(f"challenge {row['slug']} skipped: {row['error']}", err=True)
        if accounts.by_username(DEMO_TEACHER) is None:
            password = os.environ.get("GRADER_DEMO_PASSWORD") or secrets.token_urlsafe(12)
            # The one who starts the embedded server runs it: the demo teacher is its admin too
            # (accounts, LTI platforms, and replacing the bundled challenges, which no teacher
            # owns).
            accounts.register(DEMO_TEACHER, password, role="admin")
            return password
    return None


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd, docker stop, kill) takes the same way out as Ctrl+C."""
    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def prepare_server(host: str = "127.0.0.1", port: int = 5000) -> Callable[[], None]:
    """Create the app and its database, print where it runs; returns the function that serves."""
    from werkzeug.serving import make_server

    import runner

    from . import live
    from .app import create_app
    from .config import ConfigError
    from .services import claims, jobs

    try:
        app = create_app()
        password = prepare(app)
        server = make_server(host, port, app, threaded=True)
    except ConfigError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(f"Error: cannot listen on {host}:{port}: {exc.strerror}", err=True)
        sys.exit(2)
    # One line per request is noise for a classroom server; errors are still logged.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}/"
    click.echo(f"Flask concept grader running at {url}")
    click.echo(MODE_LINE)
    if password:
        click.echo(f"Demo teacher login: {DEMO_TEACHER} / {password}  (shown only once)")
    else:
        click.echo(f"Demo teacher login: {DEMO_TEACHER} (password shown at first start"
                   " or set with GRADER_DEMO_PASSWORD)")
    click.echo("Press Ctrl+C to stop.")
    queue = app.extensions["grader_queue"]
    queue.recover()

    def run() -> None:
        _stop_on_sigterm()
        live.tune_for_many_connections()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            # Do not work through the backlog on the way out: what is still queued stays
            # stored and is graded after the next start; what was running goes back to queued.
            queue.shutdown(wait=False)
            # Cut the gradings in progress short (their sandboxes are killed and removed); as
            # this process is stopping, none of their outcomes is recorded.
            in_progress = len(claims.held())
            claims.mark_stopping()
            runner.cancel_running()
            with app.app_context():
                # The cut-short gradings hand themselves back; this catches any that did not.
                returned = max(in_progress, jobs.requeue_running())
            runner.shutdown()
            note = f" {returned} grading(s) in progress went back to the queue." if returned else ""
            click.echo(f"Stopped.{note}")
        # Grading threads still running would keep the interpreter alive until they finish:
        # their rows are queued again, so leave now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    return run


def serve(host: str = "127.0.0.1", port: int = 5000) -> None:
    """Run the server with the embedded defaults until interrupted (Ctrl+C or SIGTERM)."""
    prepare_server(host, port)()


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
