"""Framing for the pipes between the harness and the learner processes: length-prefixed JSON."""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

MAX_MESSAGE = 16 * 1024 * 1024  # an 8 MB response body, base64-encoded, and the rest
# A message of many small values costs the reader far more memory than its size: a bound
# (commas, colons and brackets; strings inside count too, so it is generous).
MAX_ITEMS = 1_000_000
_HEADER = struct.Struct(">I")


class WireError(Exception):
    """The other side closed the connection or sent something that is not a message."""


def send(sock: socket.socket, message: Any) -> None:
    body = json.dumps(message, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if len(body) > MAX_MESSAGE:
        raise WireError(f"message of {len(body)} bytes is over the {MAX_MESSAGE} byte limit")
    sock.sendall(_HEADER.pack(len(body)) + body)


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            raise WireError("connection closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def recv(sock: socket.socket) -> Any:
    (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    if size > MAX_MESSAGE:
        raise WireError(f"message of {size} bytes is over the {MAX_MESSAGE} byte limit")
    body = _recv_exact(sock, size)
    if sum(body.count(c) for c in (b",", b":", b"[", b"{")) > MAX_ITEMS:
        raise WireError(f"message holds more than {MAX_ITEMS} values")
    try:
        return json.loads(body)
    except ValueError:
        raise WireError("message is not JSON") from None
    except RecursionError:  # not a ValueError: nesting deeper than the parser's stack
        raise WireError("message is nested too deeply") from None


def send_packet(sock: socket.socket, message: Any, fds: list[int] | None = None) -> None:
    """One datagram on a SOCK_SEQPACKET control socket, optionally carrying file descriptors."""
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    if fds:
        socket.send_fds(sock, [body], fds)
    else:
        sock.send(body)


def recv_packet(sock: socket.socket, max_fds: int = 4) -> tuple[Any, list[int]]:
    body, fds, _flags, _addr = socket.recv_fds(sock, 1 << 16, max_fds)
    if not body:
        for fd in fds:
            _close_quietly(fd)
        raise WireError("connection closed")
    try:
        return json.loads(body), fds
    except (ValueError, RecursionError):
        for fd in fds:
            _close_quietly(fd)
        raise WireError("packet is not JSON") from None


def _close_quietly(fd: int) -> None:
    import os

    try:
        os.close(fd)
    except OSError:
        pass


def is_plain(value: Any, depth: int = 0) -> bool:
    """Plain JSON data only: dict with str keys, list, str, int, float, bool, None."""
    if depth > 64:
        return False
    if value is None or type(value) in (str, int, float, bool):
        return True
    if type(value) in (list, tuple):
        return all(is_plain(v, depth + 1) for v in value)
    if type(value) is dict:
        return all(type(k) is str and is_plain(v, depth + 1) for k, v in value.items())
    return False
