"""`grader test`: a challenge folder's public tests, run locally with the hidden tests' fixtures."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from . import render
from .errors import ExitCode, Failure
from .workspace import MARKER, Workspace, WorkspaceError, find_workspace, gather, select_files


def require_workspace(directory: Path) -> Workspace:
    try:
        workspace = find_workspace(directory)
    except WorkspaceError as exc:
        raise Failure(str(exc)) from None
    if workspace is None:
        raise Failure(
            f"{directory} is not a challenge folder (no {MARKER} in it or above).\n"
            f"Run `grader start SLUG` first, then `grader test` inside the folder."
        )
    tests_dir = workspace.public_tests_dir
    if not tests_dir.is_dir() or not any(tests_dir.rglob("test*.py")):
        raise Failure(
            f"The challenge {workspace.slug!r} has no public tests in {tests_dir}; "
            f"`grader submit {workspace.slug}` runs the hidden ones."
        )
    return workspace


def run_tests(console: render.Console, directory: Path) -> ExitCode:
    """Text mode shows pytest's own report; `--json` prints a result record like `submit`'s."""
    workspace = require_workspace(directory)
    if console.as_json:
        record = grade_public_tests(workspace)
        console.data(record)
        return ExitCode.OK if record["status"] == "passed" else ExitCode.NOT_PASSED
    from runner.local import run_public_tests  # only this command needs the runner

    console.note(f"Running the public tests of {workspace.slug} in {workspace.root} ...")
    try:
        exit_code = run_public_tests(workspace.root, workspace.public_tests_dir, workspace.entry)
    except OSError as exc:
        raise Failure(f"The public tests could not be started: {exc}") from None
    return ExitCode.OK if exit_code == 0 else ExitCode.NOT_PASSED


def grade_public_tests(workspace: Workspace) -> dict[str, Any]:
    """Grade the folder against its public tests exactly as the server grades a submission.

    The allowed files are the submission; the folder's other files play the starter's part,
    as the server's starter files do.
    """
    from runner import grade
    from runner.challenge import Challenge

    candidates = {
        name: path
        for name, path in gather([workspace.root], workspace.root).items()
        if not name.startswith("public_tests/")
    }
    try:
        submitted, others = select_files(workspace.files, candidates)
    except WorkspaceError as exc:
        raise Failure(str(exc)) from None
    if not submitted:
        raise Failure(
            f"{workspace.root} holds none of the files this challenge accepts "
            f"({', '.join(workspace.files)})."
        )
    with tempfile.TemporaryDirectory(prefix="grader-public-") as tmp:
        root = Path(tmp)
        shutil.copytree(
            workspace.public_tests_dir,
            root / "tests",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        (root / "starter").mkdir()
        for name in others:
            target = root / "starter" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(candidates[name], target)
        challenge = Challenge(
            path=root,
            slug=workspace.slug,
            title=workspace.title or workspace.slug,
            concepts=(),
            files=tuple(workspace.files),
            entry=workspace.entry,
            timeout_s=120,
            memory_mb=1024,
            feedback="full",
        )
        result = grade(challenge, submitted, backend="local")
    record = result.to_dict()
    record["challenge"] = workspace.slug
    return record
