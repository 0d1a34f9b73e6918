"""The job vocabulary shared by every backend: what goes into a sandbox, how its run ended."""

from __future__ import annotations

import io
import json
import secrets
import tarfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .challenge import Challenge
from .submission import read_folder

HOST_GRACE_S = 20  # after the harness's own deadline and the entrypoint's backstop

# Called with each line the harness writes; it returns True once the record stream is complete
# (the completion record arrived), and the backend then stops reading.
OnLine = Callable[[bytes], bool | None]


@dataclass
class Job:
    """Everything the sandbox needs for one run."""

    nonce: str
    header: dict[str, Any]
    archive: bytes  # tar: tests/... and app/...
    tests: dict[str, bytes]
    app: dict[str, bytes]
    timeout_s: int
    memory_mb: int

    def payload(self) -> bytes:
        """The bytes written to the sandbox's stdin: a JSON header line, then the tar."""
        header = dict(self.header, size=len(self.archive))
        return json.dumps(header).encode() + b"\n" + self.archive


@dataclass
class SandboxExit:
    """How a sandbox run ended, as seen from outside the sandbox."""

    exit_code: int | None = None
    timed_out: bool = False
    oom_killed: bool = False
    error: str | None = None  # a fault of the grading machinery
    diagnostics: str = ""
    completed: bool = False  # the stream ended with the harness's completion record


def pack(files: Mapping[str, Mapping[str, bytes]]) -> bytes:
    """A tar of regular files only, `top/name` for each top folder's entries (stable order)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for top, entries in files.items():
            for name, content in sorted(entries.items()):
                info = tarfile.TarInfo(f"{top}/{name}")
                info.size = len(content)
                info.mode = 0o644
                info.mtime = 0
                archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def make_job(challenge: Challenge, app_files: Mapping[str, bytes]) -> Job:
    """The job for one grading: the hidden tests, the learner's files, a fresh nonce."""
    tests = read_folder(challenge.tests_dir)
    nonce = secrets.token_hex(16)
    header = {"nonce": nonce, "entry": challenge.entry, "points": challenge.points,
              "feedback": challenge.feedback, "timeout_s": challenge.timeout_s,
              "memory_mb": challenge.memory_mb}
    return Job(nonce=nonce, header=header, archive=pack({"tests": tests, "app": app_files}),
               tests=tests, app=dict(app_files), timeout_s=challenge.timeout_s,
               memory_mb=challenge.memory_mb)
