"""The local backend: the same harness and fixtures in subprocesses, without Docker or isolation.

For challenge authors (`grader challenge check --local`), learners' public tests (`grader test`)
and the benchmark's bare-pytest reference. Never for grading untrusted code on a server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .job import HOST_GRACE_S, Job, OnLine, SandboxExit
from .model import RunnerError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
PLUGIN = "runner.harness.plugin"


def _write_tree(root: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def pytest_args(tests_dir: Path | str, quiet: bool = True) -> list[str]:
    args = ["-p", PLUGIN, "-p", "no:cacheprovider", "-p", "no:stepwise", "--rootdir",
            str(tests_dir), "-c", os.devnull, "-W", "ignore::DeprecationWarning", str(tests_dir)]
    return (["-q", "--no-header", "-rN"] if quiet else []) + args


def _env(config: dict) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE_ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["GRADER_HARNESS"] = json.dumps(config)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return env


class LocalBackend:
    """Runs the harness with this interpreter in a temporary folder."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.cancelled = False
        self.running: set[int] = set()  # process groups of the jobs running now

    def cancel(self) -> None:
        """Kill the jobs running now and take no new job (the process is stopping)."""
        with self.lock:
            self.cancelled = True
            running = list(self.running)
        for pgid in running:
            _kill_group(pgid)

    def run(self, job: Job, on_line: OnLine) -> SandboxExit:
        if self.cancelled:
            raise RunnerError("the grader is stopping: no new job is taken")
        ended = self._run(job, on_line)
        if self.cancelled:
            raise RunnerError("the grader is stopping: the job was cancelled")
        return ended

    def _run(self, job: Job, on_line: OnLine) -> SandboxExit:
        with tempfile.TemporaryDirectory(prefix="grader-local-") as tmp:
            root = Path(tmp)
            tests_dir, app_dir, work = root / "tests", root / "app", root / "work"
            work.mkdir()
            _write_tree(tests_dir, job.tests)
            _write_tree(app_dir, job.app)
            read_fd, write_fd = os.pipe()
            config = dict(job.header, control_fd=None, results_fd=write_fd, app_dir=str(app_dir),
                          tests_dir=str(tests_dir))
            env = _env(config)
            env["GRADER_WORK_ROOT"] = str(work)
            proc = subprocess.Popen(
                [sys.executable, "-m", "pytest", *pytest_args(tests_dir)], cwd=str(root), env=env,
                pass_fds=[write_fd], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, start_new_session=True)
            with self.lock:
                self.running.add(proc.pid)
                cancelled = self.cancelled
            if cancelled:  # cancelled while this job was starting
                _kill_group(proc.pid)
            os.close(write_fd)
            reader = threading.Thread(target=_read_lines, args=(read_fd, on_line), daemon=True)
            reader.start()
            deadline = time.monotonic() + job.timeout_s + HOST_GRACE_S
            timed_out = False
            try:
                _, stderr = proc.communicate(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                _, stderr = proc.communicate()
            _kill_group(proc.pid)
            with self.lock:
                self.running.discard(proc.pid)
            reader.join(5)
            return SandboxExit(exit_code=proc.returncode, timed_out=timed_out,
                           diagnostics=stderr.decode("utf-8", "replace")[-4000:])


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass


def _read_lines(fd: int, on_line: OnLine) -> None:
    with os.fdopen(fd, "rb") as stream:
        for line in stream:
            on_line(line)


def run_public_tests(folder: str | Path, public_tests_dir: str | Path, entry: str,
                     extra_args: list[str] | None = None) -> int:
    """Run a challenge's public tests on a learner's folder, with pytest's normal output."""
    folder = Path(folder).resolve()
    tests = Path(public_tests_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="grader-test-") as work:
        config = {"entry": entry, "control_fd": None, "results_fd": None, "app_dir": str(folder),
                  "tests_dir": str(tests), "timeout_s": 120, "feedback": "full", "points": 100}
        env = _env(config)
        env["GRADER_WORK_ROOT"] = work
        args = [sys.executable, "-m", "pytest", *pytest_args(tests, quiet=False), *(extra_args or [])]
        return subprocess.call(args, cwd=str(folder), env=env)
