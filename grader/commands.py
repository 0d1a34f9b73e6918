"""Server commands for the Flask CLI: `flask --app grader users|challenges|runner ...`."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

from .models import ROLES
from .services import ServiceError, accounts, versions

users_cli = AppGroup("users", help="Manage accounts.")
challenges_cli = AppGroup("challenges", help="Load and list challenges.")
runner_cli = AppGroup("runner", help="The grading sandbox.")


def needs_database(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a missing schema or an unreachable database into one clear line."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (OperationalError, ProgrammingError) as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            hint = " (run `flask --app grader db upgrade` first)" if "no such table" in reason \
                or "does not exist" in reason else ""
            raise click.ClickException(f"database error: {reason}{hint}") from None
    return wrapper


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.UsageError("no password on standard input")
        return password
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_cli.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="student", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@needs_database
def create_user(name: str, role: str, password_stdin: bool) -> None:
    """Create an account NAME with a role."""
    password = _read_password(password_stdin)
    try:
        user = accounts.register(name, password, role=role)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Created {user.role} {user.username!r}")


@users_cli.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@needs_database
def change_role(name: str, role: str) -> None:
    """Give the account NAME another role."""
    user = accounts.by_username(name)
    if user is None:
        raise click.ClickException(f"no user named {name!r}")
    accounts.assign_role(user, role)
    click.echo(f"{user.username} is now {role}")


@users_cli.command("list")
@needs_database
def list_users() -> None:
    """List accounts."""
    for user in accounts.list_users():
        click.echo(f"{user.username:<24} {user.role}")


@challenges_cli.command("sync")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--no-check", is_flag=True,
              help="Trust the folders: skip validation in the sandbox (e.g. without Docker).")
@click.option("--queue-checks", is_flag=True,
              help="Leave the validation of changed folders to the grading workers (for a "
                   "process without the Docker engine, such as a deployment's migration job).")
@needs_database
def sync_challenges(directory: str | None, no_check: bool, queue_checks: bool) -> None:
    """Load every challenge folder under DIRECTORY (default GRADER_CHALLENGES_DIR).

    Each folder is validated in the sandbox: the solution must score full points and the
    starter and every mutant less. Changed folders become new versions.
    """
    if no_check and queue_checks:
        raise click.UsageError("--no-check and --queue-checks exclude each other")
    root = directory or current_app.config["GRADER_CHALLENGES_DIR"]
    try:
        rows = versions.sync(root, validate=not no_check, queue=queue_checks)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    failed = 0
    for row in rows:
        if row["error"]:
            failed += 1
            click.echo(f"FAIL   {row['slug']}: {row['error']}")
        elif row["ok"] is None:
            click.echo(f"queued {row['slug']} (new v{row['version']}): a grading worker checks it"
                       " and publishes it if it validates")
        elif not row["ok"]:
            failed += 1
            click.echo(f"FAIL   {row['slug']} v{row['version']}: did not validate (not published)")
        else:
            state = f"new v{row['version']}" if row["created"] else f"v{row['version']}"
            click.echo(f"ok     {row['slug']} ({state})")
    click.echo(f"{len(rows) - failed} of {len(rows)} challenges ready")
    if failed:
        sys.exit(1)


@challenges_cli.command("list")
@needs_database
def list_challenges() -> None:
    """List stored challenges."""
    from .extensions import db
    from .models import Challenge

    for ch in db.session.scalars(db.select(Challenge).order_by(Challenge.order, Challenge.slug)):
        version = ch.current_version.number if ch.current_version else "-"
        shown = "published" if ch.published else "hidden"
        click.echo(f"{ch.slug:<32} v{version:<4} {shown:<10} {ch.title}")


@runner_cli.command("build")
def build_runner() -> None:
    """Build the runner image (offline: from a wheelhouse downloaded on the host)."""
    import runner
    from runner.build import build_image

    try:
        build_image(tag=current_app.config["GRADER_RUNNER_IMAGE"])
    except (OSError, runner.RunnerError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Built {current_app.config['GRADER_RUNNER_IMAGE']}")


@runner_cli.command("status")
def runner_status() -> None:
    """Is the Docker engine reachable and the runner image present?"""
    from runner import engine_status

    ok, message = engine_status()
    click.echo(message or ("ready" if ok else "unavailable"))
    sys.exit(0 if ok else 1)


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(users_cli)
    app.cli.add_command(challenges_cli)
    app.cli.add_command(runner_cli)
