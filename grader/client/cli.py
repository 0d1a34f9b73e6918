"""The `grader` command: parses arguments and calls the plain functions of `actions`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

from . import __version__, actions, course_commands, localtest, render, review_commands
from . import push as push_challenge
from .errors import ExitCode, Failure
from .quiz import quiz as quiz_action
from .submit import submit as submit_action

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print the result as JSON instead of text."
)


def run(action: Callable[..., ExitCode], *args: Any, as_json: bool = False, **kwargs: Any) -> None:
    """Call an action; a `Failure` becomes its message on stderr and its exit code."""
    console = render.Console(as_json=as_json)
    try:
        code = action(console, *args, **kwargs)
    except Failure as failure:
        click.echo(
            f"Error: {failure.message}" if failure.code == ExitCode.ERROR else failure.message,
            err=True,
        )
        code = failure.code
    sys.exit(int(code))


def complete_slug(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Challenge slugs from the server for shell completion; nothing when it cannot be reached."""
    from .http import ClientError, GraderClient

    try:
        current = actions.settings()
    except Failure:
        return []
    client = GraderClient(current.server, current.token, timeout=2.0)
    try:
        rows = client.challenges()
    except ClientError:
        return []
    finally:
        client.close()
    return [
        CompletionItem(r["slug"], help=r.get("title"))
        for r in rows
        if str(r.get("slug", "")).startswith(incomplete)
    ]


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="grader")
def cli() -> None:
    """Solve Flask concept challenges from your terminal.

    \b
    A first session:
      grader login --server http://127.0.0.1:5000 --username ann
      grader challenges
      grader start url-converters && cd url-converters
      grader test
      grader submit url-converters

    The server address and token come from `grader login`, or from the GRADER_SERVER and
    GRADER_TOKEN environment variables. Exit codes: 0 all passed, 1 not all passed,
    2 usage, authentication, network or server error.
    """


@cli.command(epilog="\b\nExample:\n  grader serve --port 8000")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
def serve(host: str, port: int) -> None:
    """Run the grading server with the embedded defaults (SQLite, in-process workers)."""
    try:
        from grader.serve import prepare_server  # server code only for this command

        run = prepare_server(host, port)
    except ModuleNotFoundError as exc:
        # A learner's install has the client only: say what to add, not a traceback.
        click.echo(f"Error: the server needs packages this install lacks ({exc.name}); "
                   "install them with: pip install 'flask-concept-grader[server]'", err=True)
        sys.exit(int(ExitCode.ERROR))
    run()


@cli.command(
    epilog="\b\nExamples:\n  grader login --server http://127.0.0.1:5000 --username ann\n"
    "  printf '%s\\n' \"$PASSWORD\" | grader login --server https://grader.example.org -u ann"
)
@click.option(
    "--server",
    metavar="URL",
    help="The server's address (default: GRADER_SERVER, the saved one, or http://127.0.0.1:5000).",
)
@click.option("--username", "-u", metavar="NAME", help="Your user name (prompted when omitted).")
def login(server: str | None, username: str | None) -> None:
    """Sign in and save an API token (mode 0600) in the config folder.

    The password is prompted for, or read from stdin when stdin is not a terminal.
    The config folder is $XDG_CONFIG_HOME/grader, or ~/.config/grader.
    """
    interactive = sys.stdin.isatty()
    if not username:
        if not interactive:
            raise click.UsageError("--username is required when the password comes from stdin")
        username = click.prompt("Username", default=actions.saved_username())
    if interactive:
        password = click.prompt("Password", hide_input=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.UsageError("no password on stdin")
    run(actions.login, server, username, password)


@cli.command(epilog="\b\nExample:\n  grader logout")
def logout() -> None:
    """Forget the saved API token (the server address is kept)."""
    run(actions.logout)


@cli.command(
    epilog="\b\nExamples:\n  grader challenges\n  grader challenges --json | jq '.[].slug'"
)
@json_option
def challenges(as_json: bool) -> None:
    """List the challenges: slug, title, concepts, difficulty, points and your best score."""
    run(actions.challenges, as_json=as_json)


@cli.command(
    epilog="\b\nExamples:\n  grader start url-converters\n"
    "  grader start url-converters ~/flask/converters --force"
)
@click.argument("slug", shell_complete=complete_slug)
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite starter files in a folder that has files.")
@json_option
def start(slug: str, directory: Path | None, force: bool, as_json: bool) -> None:
    """Download a challenge's starter files and public tests into DIRECTORY (default: ./SLUG).

    A folder that already has files is left alone unless --force is given.
    """
    run(actions.start, slug, directory, force, as_json=as_json)


@cli.command("test", epilog="\b\nExamples:\n  grader test\n  grader test ~/flask/converters --json")
@click.argument(
    "directory",
    required=False,
    default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@json_option
def test_command(directory: Path, as_json: bool) -> None:
    """Run the challenge's public tests on your machine (the hidden tests' fixtures, no sandbox).

    DIRECTORY is a folder made by `grader start` (default: the current one). Shows pytest's
    report; with --json, a result record like `grader submit --json`.
    Exits 0 when every public test passed, 1 otherwise.
    """
    run(localtest.run_tests, directory, as_json=as_json)


@cli.command(
    epilog="\b\nExamples:\n  grader submit url-converters            # the current folder\n"
    "  grader submit url-converters app.py templates/\n"
    "  grader submit url-converters --json > result.json\n"
    "  grader submit url-converters --no-wait\n"
    "  grader submit url-converters --course flask-101"
)
@click.argument("slug", shell_complete=complete_slug)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--course",
    metavar="COURSE",
    help="Count it for this course's assignment (its due time and late credit apply).",
)
@click.option("--no-wait", is_flag=True, help="Return as soon as the submission is queued.")
@click.option(
    "--timeout",
    "timeout_s",
    default=900.0,
    show_default=True,
    type=click.FloatRange(min=1),
    help="Seconds to wait for the final result.",
)
@json_option
def submit(
    slug: str,
    paths: tuple[Path, ...],
    course: str | None,
    no_wait: bool,
    timeout_s: float,
    as_json: bool,
) -> None:
    """Submit files (or folders) for grading by the hidden tests and follow the results live.

    Only files the challenge accepts are sent; the others are named and left out.
    Exits 0 when every test passed, 1 when not, 2 on a usage, network or server error.
    """
    run(
        submit_action,
        slug,
        list(paths),
        Path.cwd(),
        wait=not no_wait,
        timeout_s=timeout_s,
        course=course,
        as_json=as_json,
    )


@cli.command(epilog="\b\nExamples:\n  grader status 42\n  grader status 42 --json")
@click.argument("submission_id", metavar="ID", type=click.IntRange(min=1))
@json_option
def status(submission_id: int, as_json: bool) -> None:
    """Show a submission's result: each test and the score."""
    run(actions.status, submission_id, as_json=as_json)


@cli.command(
    epilog="\b\nExamples:\n  grader submissions\n  grader submissions --challenge hello-flask --json"
)
@click.option(
    "--challenge",
    "-c",
    metavar="SLUG",
    shell_complete=complete_slug,
    help="Only this challenge's submissions.",
)
@click.option(
    "--limit",
    "-n",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Show at most this many.",
)
@json_option
def submissions(challenge: str | None, limit: int, as_json: bool) -> None:
    """List your submissions, newest first (their ids are for `grader status ID`)."""
    run(actions.submissions, challenge, limit, as_json=as_json)


@cli.command(
    epilog="\b\nExamples:\n  grader quiz url-converters\n"
    "  grader quiz url-converters --answers answers.json --json\n"
    "  grader quiz url-converters --course flask-101\n"
    "\b\nAn answers file (choice ids are the positions of the choices in quiz.toml, from 0):\n"
    '  {"answers": {"abort-status": [0], "hooks": ["@app.before_request", "def f():"],\n'
    '               "mismatch": {"status": 404}, "rule": {"blank": "<int:id>"}}}'
)
@click.argument("slug", shell_complete=complete_slug)
@click.option(
    "--answers",
    "answers_file",
    metavar="FILE",
    help='Send the answers of a JSON file ({"answers": {...}}; - reads stdin) instead of asking.',
)
@click.option(
    "--course",
    metavar="COURSE",
    help="Count the attempt for this course's assignment (its due time and late credit apply).",
)
@click.option(
    "--timeout",
    "timeout_s",
    default=300.0,
    show_default=True,
    type=click.FloatRange(min=1),
    help="Seconds to wait for each grading.",
)
@json_option
def quiz(
    slug: str, answers_file: str | None, course: str | None, timeout_s: float, as_json: bool
) -> None:
    """Answer a challenge's quiz: each question in the terminal, with its feedback at once.

    Choices are picked by number; an order question is built line by line from the line numbers
    and indentation levels; predict and fill questions take typed text. Enter skips a question.
    Exits 0 when every question is right, 1 when not, 2 on a usage, network or server error.
    """
    run(quiz_action, slug, answers_file, timeout_s, course, as_json=as_json)


@cli.command(epilog="\b\nExamples:\n  grader leaderboard\n  grader leaderboard --json")
@json_option
def leaderboard(as_json: bool) -> None:
    """Show the standings: rank, name, score, challenges solved, last improvement."""
    run(actions.leaderboard, as_json=as_json)


@cli.group(
    epilog="\b\nExamples:\n  grader challenge check challenges/url-converters\n"
    "  grader challenge push challenges/url-converters"
)
def challenge() -> None:
    """Teacher tools: check a challenge folder, publish it on the server."""


@challenge.command(
    epilog="\b\nExamples:\n  grader challenge check challenges/url-converters\n"
    "  grader challenge check . --local --json"
)
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--local", is_flag=True, help="Use a local subprocess instead of the Docker sandbox.")
@json_option
def check(directory: Path, local: bool, as_json: bool) -> None:
    """Grade solution/, starter/ and every mutants/* of a challenge folder.

    Exits 0 only when the solution scores full points and the starter and every mutant less.
    """
    run(actions.check, directory, local, as_json=as_json)


@challenge.command(epilog="\b\nExample:\n  grader challenge push challenges/url-converters")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@json_option
def push(directory: Path, as_json: bool) -> None:
    """Upload a challenge folder; the server publishes it only if its check passes."""
    run(push_challenge.push, directory, as_json=as_json)


course_commands.register(cli, run, json_option)
review_commands.register(cli, run, json_option)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="grader")
