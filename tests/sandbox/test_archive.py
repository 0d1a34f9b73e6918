"""Archives whose headers lie are refused while unpacking, with memory bounded by the limits."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

import pytest

from runner import archive
from runner.archive import Limits, SizeMismatch, TooLarge, read_upload, read_zip

LIMITS = Limits(archive_bytes=2 << 20, file_bytes=256 << 10, total_bytes=1 << 20)
BOMB = b"\0" * (200 << 20)  # 200 MB of zeros deflates to about 200 KB


def zipped(name: str, content: bytes) -> bytearray:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as made:
        made.writestr(name, content)
    return bytearray(out.getvalue())


def lie(data: bytearray, size: int, *, local: bool = True, central: bool = True,
        crc: int | None = None) -> bytes:
    """Overwrite the declared uncompressed size (and CRC) in the local and central headers."""
    if local:
        struct.pack_into("<L", data, 22, size)  # local header: uncompressed size
        if crc is not None:
            struct.pack_into("<L", data, 14, crc)
    central_at = data.rindex(b"PK\x01\x02")
    if central:
        struct.pack_into("<L", data, central_at + 24, size)
        if crc is not None:
            struct.pack_into("<L", data, central_at + 16, crc)
    return bytes(data)


def peak_of_refusal(fn) -> int:
    """The peak memory allocated while `fn` refuses its archive."""
    tracemalloc.start()
    try:
        with pytest.raises(archive.ArchiveError):
            fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_bomb_whose_headers_lie_is_stopped_at_the_declared_size():
    honest = zipped("app.py", BOMB)
    data = lie(honest, 100, crc=0)
    assert len(data) < LIMITS.archive_bytes
    with pytest.raises(SizeMismatch, match="unpacks to more than its header says"):
        read_zip(data, LIMITS)
    assert peak_of_refusal(lambda: read_zip(data, LIMITS)) < 4 << 20  # not 200 MB


def test_an_honest_bomb_is_refused_before_anything_is_unpacked():
    data = bytes(zipped("app.py", BOMB))
    with pytest.raises(TooLarge, match="unpacks to more than 1048576 bytes"):
        read_upload(data)
    assert peak_of_refusal(lambda: read_upload(data)) < 4 << 20


def test_headers_that_disagree_are_refused():
    data = lie(zipped("app.py", b"print('hello')\n" * 10), 5, central=False)
    with pytest.raises(SizeMismatch, match="headers disagree"):
        read_zip(data, LIMITS)


def test_a_member_smaller_than_declared_is_refused():
    content = b"x = 1\n" * 50
    data = lie(zipped("app.py", content), len(content) + 500, crc=0)
    with pytest.raises(SizeMismatch, match="does not unpack to the size its header says"):
        read_zip(data, LIMITS)


def test_a_wrong_checksum_is_refused():
    data = zipped("app.py", b"x = 1\n")
    central_at = data.rindex(b"PK\x01\x02")
    struct.pack_into("<L", data, 14, 1234)
    struct.pack_into("<L", data, central_at + 16, 1234)
    with pytest.raises(archive.NotAnArchive, match="checksum does not match"):
        read_zip(bytes(data), LIMITS)


def test_an_honest_archive_still_unpacks():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as made:
        made.writestr("project/app.py", b"x = 1\n" * 100)
        made.writestr("project/templates/index.html", b"<p>hi</p>")
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as made:
        made.writestr("project/notes.txt", b"stored")
    assert read_upload(out.getvalue()) == {"app.py": b"x = 1\n" * 100,
                                           "templates/index.html": b"<p>hi</p>",
                                           "notes.txt": b"stored"}
