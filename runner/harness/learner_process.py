"""The trusted side's handle on learner processes: spawning, asking, output, deadlines, errors."""

from __future__ import annotations

import fcntl
import os
import socket
import sys
import termios
import threading
import time
from collections.abc import Mapping

from . import wire
from .hints import Doing, ErrorReport, LearnerFacts

OUTPUT_CAP = 256 * 1024


class LearnerProblem(Exception):
    """Something the learner's code did, said for the learner (`public`) and in full (`detail`).

    `public` is what `hints` mode shows: it never carries text the learner's process produced
    or a value the hidden test passed (see `hints`). `detail` has everything.
    """

    status = "failed"

    def __init__(self, public: str, detail: str | None = None) -> None:
        super().__init__(public)
        self.public = public
        self.detail = detail or public


class LearnerError(LearnerProblem):
    """The learner's code raised an exception while the test was using it."""

    def __init__(self, report: ErrorReport, doing: Doing) -> None:
        if report.coded:
            public = f"{report.cause_public[:1].upper()}{report.cause_public[1:]} " \
                     f"(during {doing.public})"
        else:
            public = f"Your code raised {report.cause_public} (during {doing.public})"
        detail = f"Your code raised {report.cause_full} (during {doing.full})"
        if report.traceback:
            detail += "\n" + report.traceback
        super().__init__(public, detail)
        self.report = report
        self.learner_type = report.learner_type
        self.learner_traceback = report.traceback


class LearnerLoadError(LearnerProblem):
    """The learner's app could not be imported or built."""

    status = "error"


class LearnerCrash(LearnerProblem):
    """The learner's process ended or broke the protocol in the middle of a test."""

    status = "error"


class LearnerMemory(LearnerProblem):
    """The kernel stopped a learner process for using more memory than the limit."""

    status = "memory"


class LearnerTimeout(LearnerProblem):
    """The learner's process did not answer before the suite's deadline."""

    status = "timeout"


# What each operation's answer must hold, checked before a test sees any of it.
REPLY_SHAPES: dict[str, dict[str, type]] = {
    "request": {"status": int, "headers": list, "body": str},
    "cli": {"exit_code": int, "output": str},
    "live_server": {"url": str},
    "eval": {"value": object},
    "call": {"value": object},
    "build": {},
}


def well_formed(op: str, reply: dict) -> bool:
    """Has the answer the fields of its operation, with the right types?"""
    for key, kind in REPLY_SHAPES.get(op, {}).items():
        if key not in reply or (kind is not object and type(reply[key]) is not kind):
            return False
    if op == "request":
        return all(type(h) is list and len(h) == 2 and all(type(x) is str for x in h)
                   for h in reply["headers"])
    return True


class Deadline:
    """The wall-clock limit of the whole suite."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()


class OutputReader(threading.Thread):
    """Drains a learner's stdout/stderr pipe, keeping at most OUTPUT_CAP bytes."""

    def __init__(self, fd: int) -> None:
        super().__init__(daemon=True)
        self.fd = fd
        self.chunks: list[bytes] = []
        self.kept = 0
        self.dropped = 0
        self.lock = threading.Lock()
        self.start()

    def run(self) -> None:
        try:
            while chunk := os.read(self.fd, 65536):
                with self.lock:
                    room = OUTPUT_CAP - self.kept
                    if room > 0:
                        self.chunks.append(chunk[:room])
                        self.kept += min(room, len(chunk))
                    self.dropped += max(0, len(chunk) - max(room, 0))
        except OSError:
            pass
        finally:
            os.close(self.fd)

    def pending(self) -> int:
        buf = bytearray(4)
        try:
            fcntl.ioctl(self.fd, termios.FIONREAD, buf)
        except OSError:
            return 0
        return int.from_bytes(buf, sys.byteorder)

    def text(self) -> str:
        # the learner wrote before it answered: wait until the reader has caught up
        for _ in range(100):
            if not self.is_alive() or self.pending() == 0:
                break
            time.sleep(0.002)
        time.sleep(0.001)
        with self.lock:
            text = b"".join(self.chunks).decode("utf-8", errors="replace")
            if self.dropped:
                text += f"\n[... {self.dropped} more bytes of output not kept]\n"
            return text


class ControlChannel:
    """The harness's end of the zygote's control socket (one request at a time)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.lock = threading.Lock()

    def request(self, message: dict, fds: list[int] | None = None, timeout: float = 10.0) -> dict:
        with self.lock:
            self.sock.settimeout(max(timeout, 0.01))
            try:
                wire.send_packet(self.sock, message, fds)
                reply, extra = wire.recv_packet(self.sock)
            except (TimeoutError, OSError, wire.WireError) as exc:
                raise LearnerCrash(
                    "The process that starts your app stopped answering; it may have been "
                    f"killed by your code ({exc.__class__.__name__})"
                ) from None
            for fd in extra:
                os.close(fd)
            if not isinstance(reply, dict) or not reply.get("ok"):
                raise LearnerCrash("The process that starts your app refused the request")
            return reply


class LearnerProcess:
    """One forked learner process serving one test."""

    def __init__(self, control: ControlChannel, deadline: Deadline, env: Mapping[str, str],
                 facts: LearnerFacts) -> None:
        self.control = control
        self.deadline = deadline
        self.facts = facts
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        read_fd, write_fd = os.pipe()
        try:
            reply = control.request({"op": "spawn", "env": dict(env)}, [theirs.fileno(), write_fd],
                                    timeout=min(10.0, max(deadline.remaining(), 0.5)))
        finally:
            theirs.close()
            os.close(write_fd)
        pid = reply.get("pid")
        self.pid = pid if type(pid) is int else 0
        self.conn = ours
        self.output = OutputReader(read_fd)
        self.dead = False

    def ask(self, message: dict, doing: Doing) -> dict:
        """Send one request and wait for the answer, at most until the suite's deadline."""
        if self.dead:
            raise LearnerCrash(f"Your app's process had already stopped, so {doing.public} "
                               "could not run",
                               f"Your app's process had already stopped, so {doing.full} "
                               "could not run")
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise LearnerTimeout(f"The time limit of {self.deadline.seconds:g} s was reached "
                                 f"before {doing.public}",
                                 f"The time limit of {self.deadline.seconds:g} s was reached "
                                 f"before {doing.full}")
        self.conn.settimeout(remaining)
        try:
            wire.send(self.conn, message)
            reply = wire.recv(self.conn)
        except TimeoutError:
            self.kill()
            limit = f"(the whole suite may take {self.deadline.seconds:g} s)"
            raise LearnerTimeout(f"Your app did not answer in time during {doing.public} {limit}",
                                 f"Your app did not answer in time during {doing.full} {limit}"
                                 ) from None
        except (OSError, wire.WireError) as exc:
            self.kill()
            raise LearnerCrash(f"Your app's process stopped during {doing.public}",
                               f"Your app's process stopped during {doing.full} ({exc})") from None
        if not isinstance(reply, dict) or type(reply.get("ok")) is not bool:
            self.kill()
            raise LearnerCrash(f"Your app's process sent a malformed answer during {doing.public}",
                               f"Your app's process sent a malformed answer during {doing.full}")
        if not reply["ok"]:
            raise LearnerError(self.facts.describe(reply.get("error")), doing)
        if not well_formed(str(message.get("op")), reply):
            self.kill()
            raise LearnerCrash(f"Your app's process sent a malformed answer during {doing.public}",
                               f"Your app's process sent a malformed answer during {doing.full}: "
                               f"{sorted(reply)}")
        return reply

    def kill(self) -> None:
        if self.dead:
            return
        self.dead = True
        try:
            self.control.request({"op": "kill", "pid": self.pid}, timeout=2.0)
        except LearnerCrash:
            pass
        try:
            self.conn.close()
        except OSError:
            pass
