"""What each `grader` command does, as plain functions (no argument parsing here)."""

from __future__ import annotations

import contextlib
import platform
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import config, quiz_render, render, review
from .errors import ExitCode, Failure, did_you_mean, explain
from .http import ApiError, GraderClient, ServerUnreachable
from .workspace import (
    Workspace,
    WorkspaceError,
    existing_work,
    guess_entry,
    split_allowed_names,
    unpack_zip,
    write_workspace,
)


def settings() -> config.Settings:
    try:
        return config.load()
    except config.ConfigError as exc:
        raise Failure(str(exc)) from None


@contextlib.contextmanager
def connected(
    need_token: bool = True, what: str = "", slug: str | None = None
) -> Iterator[GraderClient]:
    """A client for the configured server; API errors leave as a `Failure` with advice."""
    current = settings()
    if need_token and not current.token:
        raise Failure(
            f"You are not logged in to {current.server}.\n"
            f"Run `grader login --server {current.server}` (or set GRADER_TOKEN)."
        )
    client = GraderClient(current.server, current.token)
    try:
        yield client
    except ApiError as exc:
        if exc.status == 401 and current.token_from_env:
            raise Failure(
                f"{current.server} refused the token in GRADER_TOKEN ({exc.message}).\n"
                f"Set GRADER_TOKEN to a valid token, or unset it and run `grader login`."
            ) from None
        raise explain(
            exc, current.server, what=what, suggestions=_slug_hints(client, slug)
        ) from None
    except ServerUnreachable as exc:
        raise explain(exc, current.server) from None
    finally:
        client.close()


def saved_username() -> str | None:
    """The user name of the last login, offered as the default at the next one."""
    try:
        return config.read_saved().get("username")
    except config.ConfigError:
        return None


def _slug_hints(client: GraderClient, slug: str | None) -> Callable[[], list[str]] | None:
    """For a 404 about a challenge: a way to find the slugs that look like the one asked for."""
    if not slug:
        return None
    return lambda: did_you_mean(slug, [row.get("slug", "") for row in client.challenges()])


def login(console: render.Console, server: str | None, username: str, password: str) -> ExitCode:
    """Trade a username and password for an API token and save it (mode 0600)."""
    try:
        url = config.normalize_server(server) if server else settings().server
    except config.ConfigError as exc:
        raise Failure(str(exc)) from None
    client = GraderClient(url)
    try:
        answer = client.create_token(
            username, password, f"grader-cli on {platform.node() or 'host'}"
        )
    except ApiError as exc:
        if exc.status in (400, 401, 403):
            raise Failure(f"{url} refused the login for {username!r}: {exc.message}") from None
        raise explain(exc, url) from None
    except ServerUnreachable as exc:
        raise explain(exc, url) from None
    finally:
        client.close()
    try:
        path = config.save(url, answer["token"], username)
    except config.ConfigError as exc:
        raise Failure(str(exc)) from None
    console.out(f"Logged in to {url} as {username}. Token saved in {path} (readable only by you).")
    current = settings()  # what later commands will use, environment included
    if current.token_from_env:
        console.note("Note: GRADER_TOKEN is set and takes precedence over the saved token.")
    if current.server_from_env and current.server != url:
        console.note(f"Note: GRADER_SERVER points to {current.server}, which takes precedence.")
    return ExitCode.OK


def logout(console: render.Console) -> ExitCode:
    try:
        removed = config.forget_token()
    except config.ConfigError as exc:
        raise Failure(str(exc)) from None
    console.out("Token removed." if removed else "No token was saved.")
    return ExitCode.OK


def _best(row: dict[str, Any]) -> str:
    for key in ("my_best", "best_score", "best"):
        if key in row:
            value = row[key]
            if value is None:
                return "-"
            if isinstance(value, dict):  # {"score": .., "max_score": ..}
                value = value.get("score")
            # Out of the whole challenge: its code points plus its quiz points.
            return f"{value}/{row.get('total_points', row.get('points', '?'))}"
    return "-"


def _points(row: dict[str, Any]) -> Any:
    """A challenge's points, with the quiz's share when it has one."""
    if row.get("quiz_only"):
        return f"{row.get('quiz_points')} (quiz)"
    if row.get("quiz_points"):
        return f"{row.get('total_points')} ({row.get('quiz_points')} quiz)"
    return row.get("points")


def challenges(console: render.Console) -> ExitCode:
    """The published challenges: slug, title, concepts, difficulty, points, my best."""
    with connected(need_token=False) as client:
        rows = client.challenges()
    if console.as_json:
        console.data(rows)
        return ExitCode.OK
    if not rows:
        console.out("No challenges are published yet.")
        return ExitCode.OK
    console.out(
        render.table(
            ["slug", "title", "concepts", "difficulty", "points", "my best"],
            [
                [
                    r.get("slug"),
                    r.get("title"),
                    ", ".join(r.get("concepts") or []),
                    "*" * int(r.get("difficulty") or 1),
                    _points(r),
                    _best(r),
                ]
                for r in rows
            ],
        )
    )
    return ExitCode.OK


def start(console: render.Console, slug: str, directory: Path | None, force: bool) -> ExitCode:
    """Fetch the starter and public tests into a folder, with `.grader.json` for later commands."""
    folder = directory or Path(slug)
    try:
        existing = existing_work(folder)
    except WorkspaceError as exc:
        raise Failure(str(exc)) from None
    if existing and not force:
        shown = ", ".join(existing[:5]) + (" ..." if len(existing) > 5 else "")
        raise Failure(
            f"{folder} already holds {len(existing)} file(s) ({shown}).\n"
            f"Your work is left alone: pick another folder, or pass --force to "
            f"overwrite the starter files there."
        )
    with connected(need_token=False, what=f"challenge {slug!r}", slug=slug) as client:
        detail = client.challenge(slug)
        archive = client.starter_zip(slug)
        server = client.server
    try:
        written = unpack_zip(archive, folder, top=slug)
    except WorkspaceError as exc:
        raise Failure(str(exc)) from None
    statement = detail.get("statement")
    if (
        isinstance(statement, str)
        and statement.strip()
        and not {"README.md", "statement.md"} & set(written)
    ):
        (folder / "statement.md").write_text(statement, encoding="utf-8")
        written.append("statement.md")
    workspace = Workspace(
        root=folder,
        slug=slug,
        entry=str(detail.get("entry") or guess_entry(folder)),
        files=list(detail.get("files") or ["app.py"]),
        server=server,
        title=str(detail.get("title") or slug),
    )
    workspace.provided = split_allowed_names(workspace.files, written)[1]
    write_workspace(workspace)
    if console.as_json:
        console.data({"slug": slug, "folder": str(folder), "files": sorted(written)})
        return ExitCode.OK
    console.out(f"Started {workspace.title!r} in {folder}/")
    for name in sorted(written):
        console.out(f"  {name}")
    has_public = any(n.startswith("public_tests/") for n in written)
    steps = [(f"cd {folder}", ""), (f"edit {', '.join(workspace.files)}", "")]
    if has_public:
        steps.append(("grader test", "the public tests, on your machine"))
    steps.append((f"grader submit {slug}", "the hidden tests, on the server"))
    width = max(len(command) for command, _ in steps)
    console.out("\nNext:")
    for command, why in steps:
        console.out(f"  {command.ljust(width)}  # {why}" if why else f"  {command}")
    return ExitCode.OK


def status(console: render.Console, submission_id: int) -> ExitCode:
    """One submission's result record."""
    with connected(what=f"submission {submission_id}") as client:
        record = client.submission(submission_id)
        final = client.final_statuses()
        found = review.comments(client, submission_id)
    if console.as_json:
        console.data(record if found is None else {**record, "comments": found})
    elif record.get("kind") == "quiz":
        console.out(quiz_render.summary(None, record, console.tty))
    else:
        console.out(render.record_text(record, console.tty))
        if review.override_text(record):
            console.out(review.override_text(record))
        if found:
            console.out(review.comments_text(found, console.tty))
        if record.get("status") not in final:
            place = render.place_in_line(record.get("queue_position"), record.get("eta_s"))
            console.note(
                f"Not finished yet{f' ({place})' if place else ''}: "
                f"run `grader status {submission_id}` again in a moment."
            )
    return ExitCode.OK


def submissions(console: render.Console, challenge: str | None, limit: int) -> ExitCode:
    """My submissions, newest first: id, challenge, verdict, score, when."""
    what = f"challenge {challenge!r}" if challenge else ""
    with connected(what=what, slug=challenge) as client:
        rows = client.submissions(challenge, limit)
    if console.as_json:
        console.data(rows)
        return ExitCode.OK
    if not rows:
        console.out(
            "No submissions yet." + (f" Try `grader submit {challenge}`." if challenge else "")
        )
        return ExitCode.OK
    console.out(
        render.table(
            ["id", "challenge", "status", "score", "submitted"],
            [
                [
                    r.get("id"),
                    r.get("challenge"),
                    render.styled(str(r.get("status")), str(r.get("status")), console.tty),
                    f"{r.get('score')}/{r.get('max_score')}",
                    r.get("submitted_at"),
                ]
                for r in rows
            ],
        )
    )
    return ExitCode.OK


def leaderboard(console: render.Console) -> ExitCode:
    """The public standings."""
    with connected(need_token=False) as client:
        rows = client.leaderboard()
    if console.as_json:
        console.data(rows)
        return ExitCode.OK
    if not rows:
        console.out("Nobody has scored yet.")
        return ExitCode.OK
    console.out(
        render.table(
            ["rank", "name", "score", "solved", "last improvement"],
            [
                [
                    r.get("rank"),
                    r.get("name") or r.get("username") or r.get("user"),
                    r.get("score"),
                    r.get("solved", r.get("challenges_solved")),
                    r.get("last_improvement")
                    or r.get("last_improved_at")
                    or r.get("reached_at")
                    or "-",
                ]
                for r in rows
            ],
        )
    )
    return ExitCode.OK


def check(console: render.Console, directory: Path, local: bool) -> ExitCode:
    """Grade the solution, starter and mutants of a challenge folder; OK only if all behave."""
    from runner import ChallengeError, EngineUnavailable
    from runner.check import check_challenge, format_table

    if not console.as_json:
        where = "locally, without the sandbox" if local else "in the Docker sandbox"
        console.note(f"Checking {directory} {where} ...")
    try:
        report = check_challenge(directory, backend="local" if local else "docker")
    except ChallengeError as exc:
        raise Failure(f"{directory} is not a valid challenge: {exc}") from None
    except EngineUnavailable as exc:
        raise Failure(
            f"The Docker engine is not available ({exc}).\n"
            f"Start Docker, or pass --local to check without the sandbox."
        ) from None
    if console.as_json:
        console.data(report.to_dict())
    else:
        console.out(format_table(report))  # ends with the overall OK / NOT OK line
    return ExitCode.OK if report.ok else ExitCode.NOT_PASSED


def _check_row(row: dict[str, Any]) -> list[Any]:
    result = row.get("result") or {}
    return [
        row.get("name"),
        row.get("kind"),
        row.get("expected"),
        result.get("status"),
        f"{result.get('score')}/{result.get('max_score')}",
        "yes" if row.get("ok") else "NO",
    ]


def show_validation(console: render.Console, answer: dict[str, Any], slug: str) -> ExitCode:
    """The server's answer to a push: the check's rows, its problems, whether it was published."""
    report = answer.get("report") if isinstance(answer.get("report"), dict) else {}
    ok = bool(answer.get("valid", report.get("ok", False)))
    published = bool(answer.get("published"))
    if console.as_json:
        console.data(answer)
        return ExitCode.OK if ok else ExitCode.NOT_PASSED
    rows = report.get("rows") or []
    if rows:
        console.out(
            render.table(
                ["folder", "kind", "must score", "verdict", "score", "ok"],
                [_check_row(r) for r in rows],
            )
        )
    for problem in report.get("problems") or []:
        console.out(f"problem: {problem}")
    if report.get("skipped"):
        console.out(f"check skipped: {report['skipped']}")
    described = answer.get("challenge") if isinstance(answer.get("challenge"), dict) else {}
    name = described.get("slug") or slug
    version = f" version {answer['version']}" if answer.get("version") else ""
    if ok:
        state = "published" if published else "valid but hidden (publish it on its teacher page)"
        console.out(f"{name}{version} is {state}.")
    else:
        error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
        console.out(
            f"{name}{version} was NOT published: {error.get('message') or 'the check failed'}."
        )
    return ExitCode.OK if ok else ExitCode.NOT_PASSED
