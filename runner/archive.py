"""Paths and zip archives from outside: the one place that cleans a path or unpacks a zip.

Learners' uploads, teachers' challenge uploads and the starter archives the command-line tool
downloads all pass through here. Every problem is an `ArchiveError` (a kind of `Rejected`)
whose message a person can act on; callers that speak to someone else (the command-line tool)
catch the specific kinds and say it their way.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from .model import Rejected

HIDDEN_NAMES_KEPT = frozenset({".env", ".flaskenv"})
MAX_FILE_BYTES = 256 * 1024
MAX_TOTAL_BYTES = 1024 * 1024
MAX_ARCHIVE_BYTES = 2 * 1024 * 1024


class ArchiveError(Rejected):
    """An archive or a path in it that cannot be accepted."""

    def __init__(self, message: str, name: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.name = name
        self.detail = detail or message


class UnsafePath(ArchiveError):
    """An absolute path, a drive letter, `..`, or an empty name."""


class HiddenPath(ArchiveError):
    """A dot-file or dot-folder other than the few a Flask project ships."""


class LinkInArchive(ArchiveError):
    """A symbolic link: never unpacked, it could point anywhere."""


class TooLarge(ArchiveError):
    """Over a size or count limit (checked before anything is unpacked)."""


class NotAnArchive(ArchiveError):
    """Bytes that are not a readable zip, or a member that cannot be unpacked."""


class SizeMismatch(ArchiveError):
    """A member whose data does not match the size its headers declare."""


@dataclass(frozen=True)
class Limits:
    """How much an archive may hold; `None` means no limit of that kind."""

    archive_bytes: int | None = None
    file_bytes: int | None = None
    total_bytes: int | None = None
    members: int | None = None  # files and folders the archive may list


# What the server accepts from a learner's upload (a project folder, caches and all, fits).
UPLOAD_LIMITS = Limits(archive_bytes=MAX_ARCHIVE_BYTES, file_bytes=MAX_FILE_BYTES,
                       total_bytes=MAX_TOTAL_BYTES, members=300)
# A teacher's challenge folder: solution, starter, public and hidden tests, mutants, quiz.
CHALLENGE_LIMITS = Limits(archive_bytes=16 * 1024 * 1024, file_bytes=2 * 1024 * 1024,
                          total_bytes=32 * 1024 * 1024, members=2000)


def clean_path(name: str, *, hidden: bool = False) -> str:
    """A safe relative POSIX path, or `UnsafePath`/`HiddenPath` with a reason.

    `hidden=True` admits dot-files (archives this project wrote itself); otherwise only
    `.env` and `.flaskenv` are kept.
    """
    name = name.replace("\\", "/")
    if not name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UnsafePath(f"{name!r}: absolute paths are not allowed; send paths relative to "
                         "your project", name)
    parts = PurePosixPath(name).parts
    if any(p == ".." for p in parts):
        raise UnsafePath(f"{name!r}: paths may not contain '..'", name)
    parts = [p for p in parts if p != "."]
    if not parts:
        raise UnsafePath(f"{name!r} is not a file path", name)
    if not hidden and any(p.startswith(".") and p not in HIDDEN_NAMES_KEPT for p in parts):
        raise HiddenPath(f"{name!r}: hidden files are not accepted", name)
    return "/".join(parts)


def read_zip(data: bytes, limits: Limits, *, hidden: bool = False) -> dict[str, bytes]:
    """The regular files of a zip, keyed by clean path; links, traversal and bombs refused.

    Every limit is applied to what the archive declares before anything is unpacked, and
    again while each member is inflated, which stops at its declared size: a member whose
    headers lie about its size (or disagree with each other) is refused, and memory stays
    bounded by the limits, never by what the data would inflate to.
    """
    if limits.archive_bytes is not None and len(data) > limits.archive_bytes:
        raise TooLarge(f"The archive is {len(data)} bytes; the limit is {limits.archive_bytes}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise NotAnArchive(f"The archive could not be read as a .zip file ({exc})",
                           detail=str(exc)) from None
    if limits.members is not None and len(infos) > limits.members:
        raise TooLarge(f"The archive lists {len(infos)} files and folders; at most "
                       f"{limits.members} are accepted (zip only your project's own files)")
    members: list[tuple[str, zipfile.ZipInfo]] = []
    total = 0
    for info in infos:
        if stat.S_ISLNK(info.external_attr >> 16):
            raise LinkInArchive(f"{info.filename!r} is a symbolic link; links are not accepted",
                                info.filename)
        if info.is_dir():
            if info.filename.strip("/"):
                clean_path(info.filename.rstrip("/"), hidden=hidden)
            continue
        name = clean_path(info.filename, hidden=hidden)
        total += info.file_size
        if ((limits.file_bytes is not None and info.file_size > limits.file_bytes)
                or (limits.total_bytes is not None and total > limits.total_bytes)):
            raise TooLarge(f"The archive unpacks to more than {limits.total_bytes} bytes")
        members.append((name, info))
    return {name: _inflate(data, info) for name, info in members}


# The local file header: signature, version, flags, method, time, date, crc, sizes, name and
# extra lengths. zipfile reads only the central directory's sizes; the check that both headers
# agree, and an inflation that cannot run past the declared size, are written here.
_LOCAL = struct.Struct("<4s5H3L2H")
_DATA_DESCRIPTOR = 0x08
_ENCRYPTED = 0x01


def _inflate(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """One member's bytes, never more than its declared size; its headers must not lie."""
    name = info.filename
    offset = info.header_offset
    header = data[offset:offset + _LOCAL.size]
    if len(header) < _LOCAL.size:
        raise NotAnArchive(f"{name!r} in the archive could not be unpacked (its header is cut off)", name)
    magic, _version, flags, method, _time, _date, crc, csize, usize, nlen, xlen = \
        _LOCAL.unpack(header)
    if magic != b"PK\x03\x04":
        raise NotAnArchive(f"{name!r} in the archive could not be unpacked (no local header)", name)
    if flags & _ENCRYPTED:
        raise NotAnArchive(f"{name!r} in the archive is encrypted; send an archive without a password", name)
    if not flags & _DATA_DESCRIPTOR and (crc, csize, usize) != (
            info.CRC, info.compress_size & 0xFFFFFFFF, info.file_size & 0xFFFFFFFF) and \
            0xFFFFFFFF not in (csize, usize):
        raise SizeMismatch(f"{name!r}: the archive's headers disagree about its size", name)
    start = offset + _LOCAL.size + nlen + xlen
    packed = data[start:start + info.compress_size]
    if len(packed) != info.compress_size:
        raise NotAnArchive(f"{name!r} in the archive could not be unpacked (its data is cut off)", name)
    if method == zipfile.ZIP_STORED:
        content = packed
    elif method == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            # at most one byte more than declared: enough to know the header lied
            content = inflater.decompress(packed, info.file_size + 1)
        except zlib.error as exc:
            raise NotAnArchive(f"{name!r} in the archive could not be unpacked ({exc})", name) from None
        if len(content) > info.file_size:
            raise SizeMismatch(f"{name!r} in the archive unpacks to more than its header says", name)
        if not inflater.eof:
            raise NotAnArchive(f"{name!r} in the archive could not be unpacked (its data is cut off)", name)
    else:
        raise NotAnArchive(f"{name!r} in the archive uses a compression method this server does not read "
                           f"({method}); use a standard .zip", name)
    if len(content) != info.file_size:
        raise SizeMismatch(f"{name!r} in the archive does not unpack to the size its header says", name)
    if zlib.crc32(content) & 0xFFFFFFFF != info.CRC:
        raise NotAnArchive(f"{name!r} in the archive could not be unpacked (its checksum does not match)", name)
    return content


def read_upload(data: bytes) -> dict[str, bytes]:
    """An uploaded .zip under the upload limits, its single top folder dropped."""
    return strip_common_folder(read_zip(data, UPLOAD_LIMITS))


def read_challenge_upload(data: bytes) -> dict[str, bytes]:
    """A teacher's zipped challenge folder, under the (larger) challenge limits."""
    return strip_common_folder(read_zip(data, CHALLENGE_LIMITS))


def strip_common_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    """A zip of `myproject/` holds `myproject/app.py`: drop that single top folder."""
    tops = {p.split("/", 1)[0] for p in files}
    if len(tops) == 1 and all("/" in p for p in files):
        return {p.split("/", 1)[1]: c for p, c in files.items()}
    return files


def strip_top_folder(files: dict[str, bytes], top: str) -> dict[str, bytes]:
    """Drop the folder `top/` when every path lies inside it."""
    if files and all(name.startswith(f"{top}/") for name in files):
        return {name.split("/", 1)[1]: content for name, content in files.items()}
    return files


def write_zip(files: dict[str, bytes], prefix: str = "") -> bytes:
    """A deterministic zip of in-memory files (sorted, fixed times, mode 0644)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(prefix + name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return out.getvalue()
