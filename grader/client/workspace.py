"""A learner's challenge folder on disk: `.grader.json`, the starter, which files to submit."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner import archive
from runner.challenge import Challenge
from runner.submission import split_allowed

MARKER = ".grader.json"
# Never worth sending or zipping: caches, virtualenvs, VCS data.
SKIPPED_DIRS = {
    "__pycache__",
    ".git",
    ".hg",
    ".venv",
    "venv",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".idea",
    ".vscode",
    "node_modules",
    "instance",
}
HIDDEN_FILES_SENT = {".env", ".flaskenv"}
MAX_WALKED_FILES = 2000
MAX_STARTER_BYTES = 64 * 1024 * 1024


class WorkspaceError(Exception):
    """A folder or file problem the learner can fix."""


@dataclass
class Workspace:
    """A folder made by `grader start`."""

    root: Path
    slug: str
    entry: str
    files: list[str]
    server: str | None
    title: str = ""
    provided: list[str] = field(default_factory=list)  # downloaded files that are not submitted

    @property
    def public_tests_dir(self) -> Path:
        return self.root / "public_tests"

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "entry": self.entry,
            "files": self.files,
            "server": self.server,
            "public_tests": "public_tests",
            "provided": self.provided,
        }


def find_workspace(start: Path) -> Workspace | None:
    """The workspace holding `start` (searching upwards for `.grader.json`), if any."""
    start = start.resolve()
    for folder in (start, *start.parents):
        marker = folder / MARKER
        if marker.is_file():
            return read_workspace(folder)
    return None


def read_workspace(root: Path) -> Workspace:
    marker = root / MARKER
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WorkspaceError(f"{marker} cannot be read ({exc}); run `grader start` again") from None
    if not isinstance(data, dict) or not isinstance(data.get("slug"), str):
        raise WorkspaceError(f"{marker} has no challenge slug; run `grader start` again")
    files = data.get("files")
    return Workspace(
        root=root,
        slug=data["slug"],
        entry=str(data.get("entry") or "app:app"),
        files=[str(f) for f in files] if isinstance(files, list) else ["app.py"],
        server=data.get("server") if isinstance(data.get("server"), str) else None,
        title=str(data.get("title") or ""),
        provided=[str(p) for p in data.get("provided") or [] if isinstance(p, str)],
    )


def write_workspace(workspace: Workspace) -> Path:
    marker = workspace.root / MARKER
    marker.write_text(json.dumps(workspace.to_dict(), indent=2) + "\n", encoding="utf-8")
    return marker


def existing_work(folder: Path) -> list[str]:
    """Files already in `folder` that `grader start` could overwrite (empty when safe)."""
    if not folder.exists():
        return []
    if not folder.is_dir():
        raise WorkspaceError(f"{folder} exists and is not a folder")
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def unpack_zip(data: bytes, folder: Path, top: str | None = None) -> list[str]:
    """Extract a starter zip into `folder` (no links, no traversal); return the paths written."""
    limits = archive.Limits(total_bytes=MAX_STARTER_BYTES)
    try:
        files = archive.read_zip(data, limits, hidden=True)
    except archive.UnsafePath as exc:
        raise WorkspaceError(
            f"The starter archive holds an unsafe path {exc.name!r}; not unpacked"
        ) from None
    except archive.LinkInArchive as exc:
        raise WorkspaceError(f"The starter archive holds a link {exc.name!r}; not unpacked") from None
    except archive.TooLarge:
        raise WorkspaceError(
            f"The starter archive unpacks to more than {MAX_STARTER_BYTES} bytes"
        ) from None
    except archive.ArchiveError as exc:
        raise WorkspaceError(
            f"The server's starter archive is not a valid zip ({exc.detail})"
        ) from None
    # The server sends `<slug>/app.py`: unpack what is inside that top folder.
    if top:
        files = archive.strip_top_folder(files, top)
    written = []
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(name)
    return written


def guess_entry(folder: Path) -> str:
    """`app:create_app` when the starter's app.py defines a factory, else `app:app`."""
    try:
        source = (folder / "app.py").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "app:app"
    return "app:create_app" if re.search(r"^def create_app\b", source, re.MULTILINE) else "app:app"


def _walk(folder: Path, found: list[Path] | None = None, top: Path | None = None) -> list[Path]:
    """The files worth sending under `folder`; refuses to wander through a whole home folder."""
    found = [] if found is None else found
    top = top or folder
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            continue
        if path.is_dir():
            if path.name not in SKIPPED_DIRS and not path.name.startswith("."):
                _walk(path, found, top)
        elif path.is_file():
            if path.name.startswith(".") and path.name not in HIDDEN_FILES_SENT:
                continue
            if path.suffix in (".pyc", ".pyo"):
                continue
            found.append(path)
            if len(found) > MAX_WALKED_FILES:
                raise WorkspaceError(
                    f"{top} holds more than {MAX_WALKED_FILES} files: is it really the project? "
                    f"Run the command in the challenge folder, or name the files to send."
                )
    return found


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _base_for(given: Path, cwd: Path) -> Path:
    """The folder submission paths are relative to: the workspace, else cwd, else the one given."""
    resolved = given.resolve()
    workspace = find_workspace(resolved if resolved.is_dir() else resolved.parent)
    if workspace is not None:
        return workspace.root.resolve()
    if _inside(resolved, cwd.resolve()):
        return cwd.resolve()
    return resolved if resolved.is_dir() else resolved.parent


def gather(paths: Sequence[Path], cwd: Path) -> dict[str, Path]:
    """Every candidate file named by `paths` (folders are walked), keyed by submission path."""
    found: dict[str, Path] = {}
    for given in paths or [cwd]:
        if not given.exists():
            raise WorkspaceError(f"{given}: no such file or folder")
        base = _base_for(given, cwd)
        if given.is_dir():
            files = _walk(given.resolve())
        elif given.is_file():
            files = [given.resolve()]
        else:
            raise WorkspaceError(f"{given}: not a regular file or folder")
        for path in files:
            try:
                found[path.relative_to(base).as_posix()] = path
            except ValueError:  # a link pointing out of the folder: name it by its own name
                found[path.name] = path
    return found


def split_allowed_names(
    patterns: Sequence[str], names: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Names the manifest's patterns admit, and the others (same rule as the server's)."""
    manifest = Challenge(
        path=Path("."), slug="submission", title="submission", concepts=(), files=tuple(patterns)
    )
    return split_allowed(manifest, sorted(names))


def select_files(
    patterns: Sequence[str], candidates: dict[str, Path]
) -> tuple[dict[str, bytes], list[str]]:
    """The files the manifest allows (read) and the paths left out."""
    ok, left_out = split_allowed_names(patterns, list(candidates))
    selected = {}
    for name in ok:
        try:
            selected[name] = candidates[name].read_bytes()
        except OSError as exc:
            raise WorkspaceError(f"{candidates[name]}: cannot be read ({exc.strerror})") from None
    return selected, left_out


def zip_folder(folder: Path) -> bytes:
    """A challenge folder as a zip, without caches, VCS data or links."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for path in _walk(folder):
            out.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()
