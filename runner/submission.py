"""What a learner may submit: manifest globs, sizes, encodings and archives."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from .archive import (
    MAX_ARCHIVE_BYTES,
    MAX_FILE_BYTES,
    MAX_TOTAL_BYTES,
    clean_path,
    read_upload,
    strip_common_folder,
)
from .challenge import Challenge
from .model import Rejected

__all__ = ["MAX_ARCHIVE_BYTES", "MAX_FILES", "MAX_FILE_BYTES", "MAX_TOTAL_BYTES", "allowed",
           "clean_path", "files_from_zip", "read_folder", "split_allowed", "strip_common_folder",
           "validate_files", "with_starter"]

MAX_FILES = 64
TEXT_SUFFIXES = {".py", ".html", ".jinja", ".jinja2", ".txt", ".md", ".cfg", ".ini", ".toml",
                 ".json", ".css", ".js", ".yaml", ".yml", ".env", ".sql", ".csv", ""}


def allowed(challenge: Challenge, path: str) -> bool:
    """Does the manifest's `files` list admit this path?"""
    for pattern in challenge.files:
        if path == pattern or fnmatch.fnmatchcase(path, pattern):
            return True
        # "pkg/**" admits anything below pkg/, "**/*.py" anything at any depth
        if pattern.startswith("**/") and fnmatch.fnmatchcase(path, pattern[3:]):
            return True
    return False


def split_allowed(challenge: Challenge, paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """Partition paths into those the manifest admits and those it does not."""
    ok, left_out = [], []
    for p in paths:
        (ok if allowed(challenge, p) else left_out).append(p)
    return ok, left_out


def validate_files(challenge: Challenge, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Check a learner's files against the manifest; return them under clean paths."""
    if not files:
        raise Rejected(f"No files were submitted. This challenge expects: {', '.join(challenge.files)}")
    if len(files) > MAX_FILES:
        raise Rejected(f"Too many files ({len(files)}); at most {MAX_FILES} are accepted")
    cleaned: dict[str, bytes] = {}
    total = 0
    for raw_name, content in files.items():
        name = clean_path(raw_name)
        if not allowed(challenge, name):
            raise Rejected(
                f"{name!r} is not part of this challenge; you may submit: {', '.join(challenge.files)}"
            )
        if len(content) > MAX_FILE_BYTES:
            raise Rejected(f"{name!r} is {len(content)} bytes; the limit is {MAX_FILE_BYTES} per file")
        total += len(content)
        if PurePosixPath(name).suffix.lower() in TEXT_SUFFIXES:
            try:
                content.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise Rejected(
                    f"{name!r} is not valid UTF-8 text (byte {exc.start}); save it as UTF-8 and resend"
                ) from None
        cleaned[name] = content
    if total > MAX_TOTAL_BYTES:
        raise Rejected(f"The submission is {total} bytes; the limit is {MAX_TOTAL_BYTES}")
    return cleaned


def files_from_zip(data: bytes) -> dict[str, bytes]:
    """Unpack a .zip upload in memory, refusing links, traversal and zip bombs."""
    return read_upload(data)


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every regular file under a folder, keyed by relative POSIX path (links are skipped)."""
    out: dict[str, bytes] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        if "__pycache__" in rel.split("/") or rel.endswith(".pyc"):
            continue
        out[rel] = path.read_bytes()
    return out


def with_starter(challenge: Challenge, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The learner's files over the starter's: what the learner did not send comes from starter/."""
    merged = read_folder(challenge.starter_dir)
    merged.update(files)
    return merged
