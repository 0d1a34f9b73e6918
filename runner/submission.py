"""What a learner may submit: manifest globs, sizes, encodings and archives."""

from __future__ import annotations

import fnmatch
import io
import stat
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from .challenge import Challenge
from .model import Rejected

MAX_FILE_BYTES = 256 * 1024
MAX_TOTAL_BYTES = 1024 * 1024
MAX_FILES = 64
MAX_ARCHIVE_BYTES = 2 * 1024 * 1024
TEXT_SUFFIXES = {".py", ".html", ".jinja", ".jinja2", ".txt", ".md", ".cfg", ".ini", ".toml",
                 ".json", ".css", ".js", ".yaml", ".yml", ".env", ".sql", ".csv", ""}


def clean_path(name: str) -> str:
    """A safe relative POSIX path, or `Rejected` with a reason a learner understands."""
    name = name.replace("\\", "/")
    if not name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise Rejected(f"{name!r}: absolute paths are not allowed; send paths relative to your project")
    parts = PurePosixPath(name).parts
    if any(p == ".." for p in parts):
        raise Rejected(f"{name!r}: paths may not contain '..'")
    parts = [p for p in parts if p != "."]
    if not parts:
        raise Rejected(f"{name!r} is not a file path")
    if any(p.startswith(".") and p not in (".env", ".flaskenv") for p in parts):
        raise Rejected(f"{name!r}: hidden files are not accepted")
    return "/".join(parts)


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
    if len(data) > MAX_ARCHIVE_BYTES:
        raise Rejected(f"The archive is {len(data)} bytes; the limit is {MAX_ARCHIVE_BYTES}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise Rejected(f"The archive could not be read as a .zip file ({exc})") from None
    files: dict[str, bytes] = {}
    total = 0
    for info in infos:
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise Rejected(f"{info.filename!r} is a symbolic link; links are not accepted")
        if info.is_dir():
            clean_path(info.filename.rstrip("/") or ".") if info.filename.strip("/") else None
            continue
        name = clean_path(info.filename)
        total += info.file_size
        if info.file_size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
            raise Rejected(f"The archive unpacks to more than {MAX_TOTAL_BYTES} bytes")
        try:
            content = archive.read(info)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
            raise Rejected(f"{info.filename!r} could not be unpacked ({exc})") from None
        files[name] = content
    return strip_common_folder(files)


def strip_common_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    """A zip of `myproject/` holds `myproject/app.py`: drop that single top folder."""
    tops = {p.split("/", 1)[0] for p in files}
    if len(tops) == 1 and all("/" in p for p in files):
        return {p.split("/", 1)[1]: c for p, c in files.items()}
    return files


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
