"""The suite's trusted state: the fork server's channel, the deadline, results, and each test's
learner process (a `Session`)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import learner_process as lp
from .hints import Doing, LearnerFacts

PR_SET_DUMPABLE = 4
SWEEP_TIMEOUT_S = 5.0


class Harness:
    """The suite-wide state: the zygote's control channel, the deadline and the results channel."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.entry = config.get("entry", "app:app")
        self.points = int(config.get("points", 100))
        self.feedback = config.get("feedback", "hints")
        self.memory_mb = int(config.get("memory_mb", 0) or 0)
        self.deadline = lp.Deadline(float(config.get("timeout_s", 20)))
        self.nonce = config.get("nonce", "")
        # Nothing the suite starts (a test's subprocess) may inherit the results channel, the
        # fork server's control socket or the sweep channel.
        for key in ("results_fd", "control_fd", "sweep_fd"):
            if config.get(key) is not None:
                os.set_inheritable(int(config[key]), False)
        results_fd = config.get("results_fd")
        self.results = os.fdopen(int(results_fd), "w", encoding="utf-8") if results_fd else None
        self.sweeper = (socket.socket(fileno=int(config["sweep_fd"]))
                        if config.get("sweep_fd") is not None else None)
        self.zygote: subprocess.Popen | None = None
        self.control = lp.ControlChannel(self._connect())
        self.facts = LearnerFacts(app_dir=str(config.get("app_dir", "")), entry=self.entry)
        self.oom_start = oom_kills()
        self.load_error: str | None = None  # what the learner is shown
        self.load_detail: str | None = None  # everything, for teachers
        self.load_status = "error"
        self.spare: lp.LearnerProcess | None = None
        self.timeouts = 0
        self.collect_errors: list[str] = []

    def _connect(self) -> socket.socket:
        if self.config.get("control_fd") is not None:
            return socket.socket(fileno=int(self.config["control_fd"]))
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        package_root = Path(__file__).resolve().parents[len(__package__.split("."))]
        env = {**os.environ, "PYTHONPATH": str(package_root), "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("GRADER_HARNESS", None)
        code = f"import sys; from {__package__}.zygote import main; main(int(sys.argv[1]))"
        self.zygote = subprocess.Popen(
            [sys.executable, "-c", code, str(theirs.fileno())], pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL, cwd=self.config.get("app_dir"), env=env)
        theirs.close()
        return ours

    def load(self) -> None:
        """Tell the zygote where the app is, then build it once so a broken app fails fast."""
        doing = Doing(f"the import of {self.entry}", f"the import of {self.entry}")
        oom_before = oom_kills()
        try:
            self.control.request({"op": "load", "src": self.config["app_dir"],
                                  "entry": self.entry},
                                 timeout=max(self.deadline.remaining(), 0.5))
            process = lp.LearnerProcess(self.control, self.deadline, {}, self.facts)
            reply = process.ask({"op": "build"}, doing)
        except lp.LearnerError as exc:
            where = f"Your app could not be loaded from {self.entry}: "
            self.load_error = where + exc.report.cause_public
            self.load_detail = (where + exc.report.cause_full + "\n" + exc.report.traceback).strip()
            return
        except lp.LearnerProblem as exc:
            self.load_error, self.load_detail = exc.public, exc.detail
            if oom_kills() > oom_before:
                self.load_status = "memory"
                self.load_error = self.memory_message(doing.public)
                self.load_detail = f"{self.load_error} ({exc.detail})"
            elif isinstance(exc, lp.LearnerTimeout):
                self.load_status = "timeout"
            return
        self.facts.learn_app(reply)
        self.spare = process

    def memory_message(self, during: str) -> str:
        limit = f" of {self.memory_mb} MB" if self.memory_mb else ""
        return (f"Your app was stopped during {during}: it used more memory than the "
                f"limit{limit} allows")

    def emit(self, record: dict[str, Any]) -> None:
        if self.results is None:
            return
        self.results.write(f"{self.nonce} {json.dumps(record, separators=(',', ':'))}\n")
        self.results.flush()

    def memory_exceeded(self) -> bool:
        return oom_kills() > self.oom_start

    def sweep(self) -> None:
        """Between tests: the entry point kills every learner process but the fork server.

        A test's code can leave its process group (setsid, a double fork); killing the group
        is not enough, so the root side kills by uid. Without an entry point (local runs)
        there is nothing to ask.
        """
        if self.sweeper is None:
            return
        if self.spare is not None:  # the sweep kills it too: it is not worth keeping
            self.spare.kill()
            self.spare = None
        try:
            self.sweeper.settimeout(SWEEP_TIMEOUT_S)
            self.sweeper.send(b"sweep")
            self.sweeper.recv(16)
        except OSError:
            self.sweeper = None  # the entry point is gone; the container is ending

    def close(self) -> None:
        if self.spare is not None:
            self.spare.kill()
        if self.zygote is not None:
            self.zygote.kill()
            self.zygote.wait()


def oom_kills() -> int:
    """How many processes the kernel has killed for memory in this container's cgroup."""
    for path, key in (("/sys/fs/cgroup/memory.events", "oom_kill"),
                      ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill")):
        try:
            for line in Path(path).read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == key:
                    return int(value)
        except (OSError, ValueError):
            continue
    return 0


def not_dumpable() -> None:
    """Keep processes of the grader uid (a test's subprocess) from tracing this one."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


class Session:
    """One test's view of its learner process, created on first use."""

    def __init__(self, harness: Harness, env: dict[str, str]) -> None:
        self.harness = harness
        self.env = env
        self._process: lp.LearnerProcess | None = None

    @property
    def process(self) -> lp.LearnerProcess:
        if self._process is None:
            h = self.harness
            if h.load_error:
                raise lp.LearnerLoadError(h.load_error, h.load_detail)
            if h.spare is not None and not self.env:
                self._process, h.spare = h.spare, None
            else:
                self._process = lp.LearnerProcess(h.control, h.deadline, self.env, h.facts)
                try:
                    self._process.ask({"op": "build"}, Doing(f"the import of {h.entry}",
                                                             f"the import of {h.entry}"))
                except lp.LearnerError as exc:
                    raise lp.LearnerLoadError(exc.public, exc.detail) from None
        return self._process

    def ask(self, message: dict, doing: Doing) -> dict:
        oom_before = oom_kills()
        try:
            return self.process.ask(message, doing)
        except (lp.LearnerCrash, lp.LearnerTimeout) as exc:
            if oom_kills() > oom_before:
                raise lp.LearnerMemory(self.harness.memory_message(doing.public),
                                       self.harness.memory_message(doing.full)) from None
            raise exc from None

    def output(self) -> str:
        return self.process.output.text() if self._process is not None else ""

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
