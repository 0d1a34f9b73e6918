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

OUTPUT_CAP = 256 * 1024


class LearnerProblem(Exception):
    """Something the learner's code did: its message is written for the learner."""

    status = "failed"


class LearnerError(LearnerProblem):
    """The learner's code raised an exception while the test was using it."""

    def __init__(self, message: str, learner_type: str = "", learner_traceback: str = "") -> None:
        super().__init__(message)
        self.learner_type = learner_type
        self.learner_traceback = learner_traceback


class LearnerLoadError(LearnerProblem):
    """The learner's app could not be imported or built."""

    status = "error"


class LearnerCrash(LearnerProblem):
    """The learner's process ended or broke the protocol in the middle of a test."""

    status = "error"


class LearnerTimeout(LearnerProblem):
    """The learner's process did not answer before the suite's deadline."""

    status = "timeout"


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

    def __init__(self, control: ControlChannel, deadline: Deadline, env: Mapping[str, str]) -> None:
        self.control = control
        self.deadline = deadline
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        read_fd, write_fd = os.pipe()
        try:
            reply = control.request({"op": "spawn", "env": dict(env)}, [theirs.fileno(), write_fd],
                                    timeout=min(10.0, max(deadline.remaining(), 0.5)))
        finally:
            theirs.close()
            os.close(write_fd)
        self.pid = int(reply.get("pid", 0))
        self.conn = ours
        self.output = OutputReader(read_fd)
        self.dead = False

    def ask(self, message: dict, what: str) -> dict:
        """Send one request and wait for the answer, at most until the suite's deadline."""
        if self.dead:
            raise LearnerCrash(f"Your app's process had already stopped, so {what} could not run")
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise LearnerTimeout(f"The time limit of {self.deadline.seconds:g} s was reached "
                                 f"before {what}")
        self.conn.settimeout(remaining)
        try:
            wire.send(self.conn, message)
            reply = wire.recv(self.conn)
        except TimeoutError:
            self.kill()
            raise LearnerTimeout(f"Your app did not answer in time during {what} (the whole suite "
                                 f"may take {self.deadline.seconds:g} s)") from None
        except (OSError, wire.WireError):
            self.kill()
            raise LearnerCrash(f"Your app's process stopped during {what}") from None
        if not isinstance(reply, dict):
            raise LearnerCrash(f"Your app's process sent a malformed answer during {what}")
        if not reply.get("ok"):
            error = reply.get("error") if isinstance(reply.get("error"), dict) else {}
            kind = str(error.get("type", "Exception"))[:100]
            detail = str(error.get("message", ""))[:500]
            raise LearnerError(f"Your code raised {kind}: {detail} (during {what})", kind,
                               str(error.get("traceback", ""))[:4000])
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
