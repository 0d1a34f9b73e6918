"""Sandboxes on the Docker engine: a warm pool, one fresh container per job, none left behind.

Containers never outlive the grader that made them: a failed start removes its container at
once, a finished one removes itself, one whose owner died loses its only attached client and
so its stdin, which ends its entry point; and a sweep, at start and then every minute, removes
any sandbox whose owner process is gone, in any state. A live owner's sandboxes are never
touched. The owner is the label `flask-grader.owner=<hostname>:<pid>`, with the process's
start time beside it so that a reused pid is not taken for the owner.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import socket
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from .docker_engine import LABEL, Engine, Sandbox, run_job
from .job import HOST_GRACE_S, Job, OnLine, SandboxExit
from .model import RunnerError
from .settings import RunnerSettings

log = logging.getLogger(__name__)

OWNER_LABEL = f"{LABEL}.owner"
STARTED_LABEL = f"{LABEL}.owner-started"
DEFAULT_MEMORY_MB = 256
WARM_MAX_AGE_S = 150  # the entry point gives up waiting for a job after 180 s
SWEEP_INTERVAL_S = 60
EXIT_WAIT_S = 15  # from the end of the output to the engine saying the container is gone
KILLED = 137  # 128 + SIGKILL: only the kernel (memory) or our own kill at the deadline


def process_started(pid: int) -> str | None:
    """A process's start time (clock ticks after boot), or None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def owner_gone(labels: dict[str, str]) -> bool:
    """Is the process that made this sandbox gone? False when it cannot be told from here."""
    host, _, pid = labels.get(OWNER_LABEL, "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another host's, or not in our format: not ours to judge
    started = process_started(int(pid))
    if started is None:
        return True
    recorded = labels.get(STARTED_LABEL)
    return bool(recorded) and recorded != started  # that pid now belongs to another process


class DockerBackend:
    """Runs each job in a fresh container; keeps `warm_sandboxes` started ahead of time."""

    def __init__(self, settings: RunnerSettings) -> None:
        self.settings = settings
        self.engine = Engine(settings)
        self.warm = settings.warm_sandboxes
        self.labels = {STARTED_LABEL: process_started(os.getpid()) or ""}
        self.ready: queue.Queue[Sandbox] = queue.Queue()
        self.starting = 0
        self.last_memory_mb = DEFAULT_MEMORY_MB
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.cancelled = threading.Event()
        self.running: set[Sandbox] = set()
        self.pool = ThreadPoolExecutor(max_workers=max(2, self.warm), thread_name_prefix="sandbox")
        self.sweep()
        threading.Thread(target=self._sweep_every_minute, name="sandbox-sweep", daemon=True).start()
        self._refill()
        atexit.register(self.close)

    # -- the pool ---------------------------------------------------------------------------
    def _start_warm(self) -> None:
        memory_mb = self.last_memory_mb  # the next job most likely has the same limit
        try:
            sandbox = self.engine.start(memory_mb, self.labels)
            if self.closed.is_set():
                self._discard(sandbox)
            else:
                self.ready.put(sandbox)
        except Exception as exc:  # noqa: BLE001 - a failed warm start only costs latency later
            log.warning("warm sandbox start failed: %s", exc)
        finally:
            with self.lock:
                self.starting -= 1

    def _refill(self) -> None:
        with self.lock:
            missing = self.warm - self.ready.qsize() - self.starting
            self.starting += max(missing, 0)
        for _ in range(max(missing, 0)):
            self.pool.submit(self._start_warm)

    def _take(self, memory_mb: int) -> Sandbox:
        self.last_memory_mb = memory_mb
        while True:
            try:
                sandbox = self.ready.get_nowait()
            except queue.Empty:
                sandbox = self.engine.start(memory_mb, self.labels)
                break
            if time.monotonic() - sandbox.born > WARM_MAX_AGE_S:
                self._discard(sandbox)
                continue
            if sandbox.memory_mb != memory_mb and not self.engine.set_memory(sandbox, memory_mb):
                self._discard(sandbox)
                continue
            break
        self._refill()
        return sandbox

    def _discard(self, sandbox: Sandbox) -> None:
        sandbox.close()
        try:
            self.pool.submit(self.engine.remove, sandbox.id)
        except RuntimeError:  # the pool is shut (the process is exiting): remove it right here
            self.engine.remove(sandbox.id)

    def sweep(self) -> int:
        """Remove every sandbox whose owner process is gone; how many were removed."""
        try:
            listed = self.engine.list_sandboxes()
        except Exception as exc:  # noqa: BLE001 - the engine may be away: sweep next time
            log.warning("could not list sandboxes: %s", exc)
            return 0
        gone = [container_id for container_id, labels in listed if owner_gone(labels)]
        for container_id in gone:
            self.engine.remove(container_id)
        if gone:
            log.info("removed %d sandbox(es) left by processes that are gone", len(gone))
        return len(gone)

    def _sweep_every_minute(self) -> None:
        while not self.closed.wait(SWEEP_INTERVAL_S):
            self.sweep()

    def close(self) -> None:
        """Stop refilling and remove the idle warm containers (they were never used)."""
        self.closed.set()
        self.warm = 0
        while True:
            try:
                sandbox = self.ready.get_nowait()
            except queue.Empty:
                break
            sandbox.close()
            self.engine.remove(sandbox.id)

    def cancel(self) -> None:
        """Kill the sandboxes running jobs now and take no new job (the process is stopping)."""
        self.cancelled.set()
        with self.lock:
            running = list(self.running)
        for sandbox in running:
            self.engine.kill(sandbox)

    def _check_cancelled(self) -> None:
        if self.cancelled.is_set():
            raise RunnerError("the grader is stopping: the job was cancelled")

    # -- one run ----------------------------------------------------------------------------
    def run(self, job: Job, on_line: OnLine) -> SandboxExit:
        # A warm sandbox may have died while it waited (an engine restart, its idle limit):
        # the job then never reached it, and a fresh one gets it.
        for _ in range(2):
            self._check_cancelled()
            sandbox = self._take(job.memory_mb)
            with self.lock:
                self.running.add(sandbox)
            exit_code: Future[int | None] = Future()
            threading.Thread(target=self._wait_exit, args=(sandbox, job, exit_code),
                             daemon=True).start()
            try:
                self._check_cancelled()  # cancelled while this sandbox was being taken
                ended, delivered = run_job(sandbox, job, on_line)
                self._check_cancelled()  # its output ended because `cancel` killed it
                if not delivered:
                    continue
                if ended.timed_out:
                    self.engine.kill(sandbox)
                sandbox.close()
                try:
                    ended.exit_code = exit_code.result(EXIT_WAIT_S)
                except TimeoutError:
                    ended.exit_code = None
                ended.oom_killed = ended.exit_code == KILLED and not ended.timed_out
                return ended
            finally:
                with self.lock:
                    self.running.discard(sandbox)
                self._discard(sandbox)
        raise RunnerError("two sandboxes in a row stopped before their job reached them")

    def _wait_exit(self, sandbox: Sandbox, job: Job, result: Future[int | None]) -> None:
        result.set_result(self.engine.wait_removed(sandbox, job.timeout_s + HOST_GRACE_S + 30))
