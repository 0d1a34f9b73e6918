"""Sandboxes on the Docker engine: a warm pool, one fresh container per job, none left behind.

Containers never outlive the grader that made them: a failed start removes its container at
once, a finished one removes itself, one whose owner died loses its only attached client and
so its stdin, which ends its entry point; and a sweep, at start and then every minute, removes
any sandbox whose owner process is gone, in any state. A live owner's sandboxes are never
touched. The owner is the label `flask-grader.owner=<hostname>:<pid>`, with the process's
start time and pid namespace beside it, so that a reused pid, or the same pid in another
namespace, is not taken for the owner.
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
from .job import Job, OnLine, SandboxExit
from .model import EngineUnavailable, RunnerError
from .settings import RunnerSettings

log = logging.getLogger(__name__)

OWNER_LABEL = f"{LABEL}.owner"
STARTED_LABEL = f"{LABEL}.owner-started"
PIDNS_LABEL = f"{LABEL}.owner-pidns"
DEFAULT_MEMORY_MB = 256
WARM_MAX_AGE_S = 150  # the entry point gives up waiting for a job after 180 s
SWEEP_INTERVAL_S = 60
RELEASE_CHECK_S = 5
EVENTS_WAIT_S = 10
RELEASE_GRACE_S = 30  # a finished sandbox has this long to stop and remove itself
EXIT_WAIT_S = 15  # from the end of the output to the engine reporting the container's exit
EXIT_POLL_S = 1.0  # while waiting for it, how often to check the engine still answers
ENGINE_GONE_WAIT_S = 2.0  # after a run that ended early: long enough to see an engine go away
KILLED = 137  # 128 + SIGKILL: only the kernel (memory) or our own kill at the deadline


def process_started(pid: int) -> str | None:
    """A process's start time (clock ticks after boot), or None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def pid_namespace() -> str:
    """This process's pid namespace ("pid:[4026531836]"): a pid means something only in it."""
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def owner_gone(labels: dict[str, str], running: bool = True) -> bool:
    """Is the process that made this sandbox gone? False when it cannot be told from here.

    A pid is judged only in the pid namespace it was taken in: a grader in a container that
    shares the host's name has pids of its own. A sandbox labelled before namespaces were
    recorded is judged only once it no longer runs.
    """
    host, _, pid = labels.get(OWNER_LABEL, "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another host's, or not in our format: not ours to judge
    namespace = labels.get(PIDNS_LABEL)
    if namespace is None:
        if running:
            return False
    elif namespace != pid_namespace():
        return False
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
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self.labels = {STARTED_LABEL: process_started(os.getpid()) or "",
                       PIDNS_LABEL: pid_namespace()}
        self.ready: queue.Queue[Sandbox] = queue.Queue()
        self.starting = 0
        self.last_memory_mb = DEFAULT_MEMORY_MB
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.exits: dict[str, Future[int]] = {}  # running sandbox -> its exit code, when it dies
        self.oom: set[str] = set()
        self.released: dict[str, float] = {}  # finished sandbox -> when to check it is gone
        self.cancelled = threading.Event()
        self.running: set[Sandbox] = set()
        # Running sandboxes the engine was told to kill: by this process (a time-out, a cancel)
        # or from outside it (an engine shutting down stops its containers).
        self.killing: set[str] = set()
        self.stopped_outside: set[str] = set()
        self.pool = ThreadPoolExecutor(max_workers=max(2, self.warm), thread_name_prefix="sandbox")
        watching = threading.Event()
        threading.Thread(target=self.engine.watch,
                         args=(self.owner, self._on_event, self.closed, watching),
                         name="sandbox-events", daemon=True).start()
        watching.wait(EVENTS_WAIT_S)  # no sandbox starts before its exit can be heard
        self.sweep()
        threading.Thread(target=self._housekeeping, name="sandbox-sweep", daemon=True).start()
        self._refill()
        atexit.register(self.close)

    def _on_event(self, container_id: str, action: str, attributes: dict[str, str]) -> None:
        with self.lock:
            exit_code = self.exits.get(container_id)
            if action == "oom" and exit_code is not None:
                self.oom.add(container_id)
            # A kill this process did not ask for, of a sandbox running a job: an engine that
            # restarts or shuts down stops its containers (SIGTERM first), an operator or
            # another program may kill one (SIGKILL). Neither is the learner's doing; the
            # kernel's memory kill sends no such event.
            if action == "kill" and exit_code is not None and container_id not in self.killing:
                self.stopped_outside.add(container_id)
        if action == "die" and exit_code is not None and not exit_code.done():
            code = attributes.get("exitCode", "")
            exit_code.set_result(int(code) if code.lstrip("-").isdigit() else -1)

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
        gone = [container_id for container_id, labels, running in listed
                if owner_gone(labels, running)]
        for container_id in gone:
            self.engine.remove(container_id)
        if gone:
            log.info("removed %d sandbox(es) left by processes that are gone", len(gone))
        self._check_released({container_id for container_id, _, _ in listed})
        return len(gone)

    def _check_released(self, existing: set[str]) -> None:
        """A finished sandbox removes itself; one still there past its time is removed here."""
        now = time.monotonic()
        with self.lock:
            overdue = [c for c, due in self.released.items() if c in existing and due <= now]
            for container_id in [c for c in self.released if c not in existing] + overdue:
                del self.released[container_id]
        for container_id in overdue:
            self.engine.remove(container_id)

    def _housekeeping(self) -> None:
        last_sweep = time.monotonic()
        while not self.closed.wait(RELEASE_CHECK_S):
            if time.monotonic() - last_sweep >= SWEEP_INTERVAL_S:
                self.sweep()
                last_sweep = time.monotonic()
            elif self.released:
                try:
                    self._check_released({c for c, _, _ in self.engine.list_sandboxes()})
                except Exception as exc:  # noqa: BLE001 - checked again next time
                    log.warning("could not list sandboxes: %s", exc)

    def _drop_waiting(self) -> None:
        while True:
            try:
                self._discard(self.ready.get_nowait())
            except queue.Empty:
                return

    def _kill(self, sandbox: Sandbox) -> None:
        with self.lock:
            self.killing.add(sandbox.id)
        self.engine.kill(sandbox)

    def _release(self, sandbox: Sandbox) -> None:
        """A sandbox that has finished: it removes itself; the housekeeping makes sure."""
        sandbox.close()
        with self.lock:
            self.killing.discard(sandbox.id)
            self.stopped_outside.discard(sandbox.id)
            self.exits.pop(sandbox.id, None)
            self.oom.discard(sandbox.id)
            self.released[sandbox.id] = time.monotonic() + RELEASE_GRACE_S

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
        self.engine.stop_watching()

    def cancel(self) -> None:
        """Kill the sandboxes running jobs now and take no new job (the process is stopping)."""
        self.cancelled.set()
        with self.lock:
            running = list(self.running)
        for sandbox in running:
            self._kill(sandbox)

    def _check_cancelled(self) -> None:
        if self.cancelled.is_set():
            raise RunnerError("the grader is stopping: the job was cancelled")

    def _exit_of(self, exit_code: Future[int]) -> int | None:
        """The exit code the engine's events report, or None if it never comes.

        The output has ended without the completion record; the exit usually follows at once.
        An engine that went away reports nothing: that is an outage, not the learner's run.
        """
        deadline = time.monotonic() + EXIT_WAIT_S
        while True:
            try:
                code = exit_code.result(min(EXIT_POLL_S, max(0.0, deadline - time.monotonic())))
            except TimeoutError:
                code = None
                if time.monotonic() < deadline and self.engine.answers():
                    continue
            # An engine shutting down stops its containers (their exits reach the event stream
            # it keeps open) and goes away moments later: such an exit is the outage's, not the
            # learner's. A run that really crashed costs this short look once.
            gone_by = time.monotonic() + ENGINE_GONE_WAIT_S
            while True:
                if not self.engine.answers():
                    raise EngineUnavailable("The Docker engine stopped answering during the "
                                            "grading")
                if time.monotonic() >= gone_by:
                    return code
                time.sleep(0.25)

    # -- one run ----------------------------------------------------------------------------
    def run(self, job: Job, on_line: OnLine) -> SandboxExit:
        # A warm sandbox may have died while it waited (an engine restart, its idle limit):
        # the job then never reached it, and a fresh one gets it.
        for _ in range(2):
            self._check_cancelled()
            sandbox = self._take(job.memory_mb)
            with self.lock:
                self.running.add(sandbox)
                exit_code = self.exits.setdefault(sandbox.id, Future())
            try:
                self._check_cancelled()  # cancelled while this sandbox was being taken
                ended, delivered = run_job(sandbox, job, on_line)
                self._check_cancelled()  # its output ended because `cancel` killed it
                if not delivered:
                    self.engine.remove(sandbox.id)
                    # What killed it (an engine restart, most often) killed the other waiting
                    # ones too: the second try starts a fresh sandbox.
                    self._drop_waiting()
                    continue
                if ended.completed:
                    return ended  # what is left of the run ends, and is removed, on its own
                if ended.timed_out:
                    self._kill(sandbox)
                sandbox.close()
                ended.exit_code = self._exit_of(exit_code)
                if sandbox.id in self.stopped_outside and sandbox.id not in self.oom:
                    # Not the learner's doing: the engine (a restart, a shutdown), an operator
                    # or another program stopped it. Graded again once the engine answers.
                    raise EngineUnavailable("The sandbox was stopped from outside the grader "
                                            "during the grading (an engine restart or "
                                            "shutdown, or a kill)")
                ended.oom_killed = sandbox.id in self.oom or (
                    ended.exit_code == KILLED and not ended.timed_out)
                return ended
            finally:
                with self.lock:
                    self.running.discard(sandbox)
                self._release(sandbox)
        raise RunnerError("two sandboxes in a row stopped before their job reached them")
