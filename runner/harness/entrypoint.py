"""The container's trusted entry point (runs as root with a handful of capabilities).

Order matters for isolation:
1. load what both sides need (Flask, pytest) once, here, before any job byte exists: the two
   processes below are forked from this one and share those pages instead of each starting
   an interpreter and importing them again;
2. fork the learner's fork server (zygote) under a fresh random uid, with no inherited file
   descriptors and a clean environment;
3. fork the harness under the grader uid, holding the only handle on the container's stdout,
   which is the results channel;
4. read the job (header line + tar) from stdin, unpack the hidden tests where only the grader uid
   can read them and the learner's files where the learner can read but not change them;
5. signal the harness, wait for it under a deadline, then kill every learner process.
Nothing the learner controls is ever executed here: what is imported comes from the image's
read-only packages, and the job is only unpacked, with the standard library.
"""

from __future__ import annotations

import gc
import importlib
import io
import json
import os
import resource
import select
import signal
import socket
import sys
import tarfile
import tempfile
import time
import traceback
from collections.abc import Callable

PYTHON = "/opt/venv/bin/python"
HARNESS_PATH = "/opt/harness"
AGENT_PATH = "/opt/agent"
GRADER_UID = 990
TESTS_DIR = "/run/grader/tests"
HARNESS_TMP = "/run/grader/tmp"
SRC_DIR = "/home/learner/src"
WORK_ROOT = "/home/learner/run"
MAX_JOB = 16 * 1024 * 1024
IDLE_LIMIT_S = 180  # a warm container whose owner went away exits by itself
BACKSTOP_S = 10
LEARNER_NPROC = 128
SWEEP_PASSES = 50
PR_SET_DUMPABLE = 4
# Loaded before the forks, for both sides: the fork server's Flask, the harness's pytest and its
# built-in plugins. Each side still imports its own list after the fork (what is already loaded
# costs nothing), so this only has to be the shared bulk, and nothing of the harness's own code:
# that stays out of the learner's memory.
SHARED_MODULES = ("flask", "flask.testing", "flask.cli", "werkzeug.serving", "jinja2",
                  "click.testing", "pytest", "_pytest.config")
BASE_ENV = {"PATH": "/opt/venv/bin:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": "/tmp"}


def preload() -> None:
    """Import `SHARED_MODULES` and pytest's built-in plugins, with the cyclic collector off
    (each side turns it back on, freezing what it inherited: see `collect_from_here`)."""
    gc.disable()
    for name in SHARED_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S110 - each side imports its own list again, and reports
            pass
    plugins = getattr(sys.modules.get("_pytest.config"), "default_plugins", ())
    for name in plugins:
        try:
            importlib.import_module(f"_pytest.{name}")
        except Exception:  # noqa: BLE001, S110 - as above
            pass


def spawn(uid: int, start: Callable[[], object], keep: list[int], env: dict[str, str],
          cwd: str, out_fd: int | None = None, learner: bool = False) -> int:
    """Fork, drop to `uid` with no groups, only the `keep` descriptors and `env`, and run
    `start` in the child.

    The child never returns into the entry point (it leaves by `os._exit`), so the parent's
    objects it inherited, such as socket objects whose descriptors it has closed, are never
    freed there and never close a descriptor number the child has since reused.
    """
    pid = os.fork()
    if pid:
        return pid
    try:
        if learner:
            with open("/proc/self/oom_score_adj", "w") as fh:
                fh.write("1000")  # the kernel's out-of-memory killer picks learner processes first
            resource.setrlimit(resource.RLIMIT_NPROC, (LEARNER_NPROC, LEARNER_NPROC))
            os.setpriority(os.PRIO_PROCESS, 0, 19)  # a busy learner cannot starve the harness
            os.setsid()
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(out_fd if out_fd is not None else devnull, 1)
        os.dup2(out_fd if out_fd is not None else devnull, 2)
        for fd in keep:
            os.set_inheritable(fd, True)
        highest = max([2, *keep]) + 1
        for fd in range(3, highest):
            if fd not in keep:
                try:
                    os.close(fd)
                except OSError:
                    pass
        os.closerange(highest, 4096)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        if os.getuid() != uid or os.geteuid() != uid or 0 in os.getgroups():
            raise OSError("the child did not drop to its uid")
        os.chdir(cwd)
        # What exec used to reset: the environment, and what was derived from it
        os.environ.clear()
        os.environ.update(env)
        tempfile.tempdir = None
        sys.argv = [sys.argv[0]]
    except BaseException:  # noqa: BLE001 - the child must never return into the entry point
        _report_and_exit(127)
    try:
        start()
    except BaseException:  # noqa: BLE001 - as above
        _report_and_exit(1)
    os._exit(0)


def _report_and_exit(code: int) -> None:
    try:
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(code)


def run_zygote(control_fd: int) -> None:
    sys.path.insert(0, AGENT_PATH)
    from runner_harness.zygote import main as zygote_main  # type: ignore[import-not-found]

    zygote_main(control_fd)


def run_harness(go_fd: int) -> None:
    sys.path.insert(0, HARNESS_PATH)
    from runner_harness.run import run_and_exit  # type: ignore[import-not-found]

    run_and_exit(go_fd)


def readable(fd: int, seconds: float) -> bool:
    """Wait until `fd` can be read. poll, not select: gVisor's seccomp filter refuses the
    pselect6 call that select.select makes (runsc 20221219 with --oci-seccomp)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    return bool(poller.poll(int(seconds * 1000)))


def read_exact(fd: int, size: int) -> bytes:
    chunks, got = [], 0
    while got < size:
        chunk = os.read(fd, min(size - got, 1 << 20))
        if not chunk:
            raise EOFError("job ended early")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_job() -> tuple[dict, bytes]:
    """Header line (JSON with `size`), then exactly `size` bytes of tar."""
    if not readable(0, IDLE_LIMIT_S):
        raise TimeoutError("no job arrived")
    line = b""
    while not line.endswith(b"\n"):
        byte = os.read(0, 1)
        if not byte or len(line) > 65536:
            raise EOFError("no job header")
        line += byte
    header = json.loads(line)
    size = int(header["size"])
    if not 0 <= size <= MAX_JOB:
        raise ValueError("job too large")
    return header, read_exact(0, size)


def safe_parts(name: str) -> list[str]:
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if name.startswith("/") or any(p == ".." for p in parts):
        raise ValueError(f"unsafe path in job: {name!r}")
    return parts


def unpack(data: bytes) -> None:
    """Regular files and folders only; tests/ for the grader uid, app/ readable by the learner."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
        for member in archive:
            parts = safe_parts(member.name)
            if len(parts) < 2 or parts[0] not in ("tests", "app"):
                continue
            base = TESTS_DIR if parts[0] == "tests" else SRC_DIR
            target = os.path.join(base, *parts[1:])
            private = parts[0] == "tests"
            if member.isdir():
                os.makedirs(target, mode=0o700 if private else 0o755, exist_ok=True)
            elif member.isfile():
                os.makedirs(os.path.dirname(target), mode=0o700 if private else 0o755,
                            exist_ok=True)
                source = archive.extractfile(member)
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                             0o600 if private else 0o644)
                with os.fdopen(fd, "wb") as out:
                    out.write(source.read() if source else b"")
    for root, dirs, files in os.walk(TESTS_DIR):
        for name in dirs + files:
            os.chown(os.path.join(root, name), GRADER_UID, GRADER_UID)
    os.chown(TESTS_DIR, GRADER_UID, GRADER_UID)


def kill_uid(uid: int, keep: int = 0) -> None:
    """SIGKILL every process of `uid` but `keep`, again until none is left (forks race us)."""
    for _ in range(SWEEP_PASSES):
        found = False
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == keep:
                continue
            try:
                owner, state = None, ""
                with open(f"/proc/{entry}/status") as fh:
                    for line in fh:  # State comes before Uid
                        if line.startswith("State:"):
                            state = line.split()[1]
                        elif line.startswith("Uid:"):
                            owner = int(line.split()[1])
                            break
                # A zombie runs nothing and waits only for its parent to reap it: killing it
                # again, pass after pass until the parent gets to it, is wasted CPU.
                if owner == uid and state not in ("Z", "X"):
                    os.kill(int(entry), signal.SIGKILL)
                    found = True
            except (OSError, ValueError, IndexError):
                continue
        if not found:
            return


def serve_until_done(pid: int, seconds: float, sweeps: socket.socket, learner_uid: int,
                     zygote: int) -> tuple[int, bool]:
    """Answer the harness's sweeps until it exits; (exit code, whether it had to be killed)."""
    end = time.monotonic() + seconds
    listening = True
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), False
        if not listening:
            time.sleep(0.01)
        elif readable(sweeps.fileno(), 0.01):  # also the 10 ms pace
            try:
                request = sweeps.recv(16)
            except OSError:
                request = b""
            if request == b"sweep":
                kill_uid(learner_uid, keep=zygote)
                try:
                    sweeps.send(b"ok")
                except OSError:
                    listening = False
            elif not request:  # the harness closed its end: only wait for it to exit
                listening = False
    os.kill(pid, signal.SIGKILL)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), True


def not_dumpable() -> None:
    """No process of another uid may read this one's memory or trace it."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def main() -> int:
    not_dumpable()
    learner_uid = 20000 + int.from_bytes(os.urandom(2), "big") % 40000
    os.makedirs(TESTS_DIR, mode=0o700, exist_ok=True)
    os.chmod("/run/grader", 0o755)  # tests/ inside stays 0700 for the grader uid
    os.makedirs(HARNESS_TMP, mode=0o700, exist_ok=True)
    os.chown(HARNESS_TMP, GRADER_UID, GRADER_UID)
    os.makedirs(SRC_DIR, mode=0o755, exist_ok=True)
    os.makedirs(WORK_ROOT, mode=0o700, exist_ok=True)
    os.chown(WORK_ROOT, learner_uid, learner_uid)
    os.chmod("/home/learner", 0o755)

    control_harness, control_zygote = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    learner_env = {**BASE_ENV, "HOME": "/home/learner", "USER": "learner",
                   "GRADER_WORK_ROOT": WORK_ROOT}
    preload()
    zygote = spawn(learner_uid, lambda: run_zygote(control_zygote.fileno()),
                   [control_zygote.fileno()], learner_env, "/home/learner", learner=True)
    control_zygote.close()
    sweep_harness, sweeps = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)

    go_read, go_write = os.pipe()
    results_fd = os.dup(1)
    # plugins are named on the command line; scanning installed ones costs time on every run
    # its own scratch folder: the learner can write /tmp and could plant files there
    harness_env = {**BASE_ENV, "HOME": "/run/grader", "USER": "grader", "TMPDIR": HARNESS_TMP,
                   "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    harness = spawn(GRADER_UID, lambda: run_harness(go_read),
                    [go_read, results_fd, control_harness.fileno(), sweep_harness.fileno()],
                    harness_env, "/run/grader", out_fd=2)
    control_fd = control_harness.fileno()  # the numbers stay the same in the harness after fork
    sweep_fd = sweep_harness.fileno()
    os.close(go_read)
    os.close(results_fd)
    control_harness.close()
    sweep_harness.close()

    try:
        header, data = read_job()
        unpack(data)
    except (OSError, ValueError, EOFError, TimeoutError, tarfile.TarError) as exc:
        print(f"entrypoint: no usable job: {exc}", file=sys.stderr)
        os.close(go_write)
        kill_uid(learner_uid)
        return 3
    config = {"nonce": header.get("nonce", ""), "entry": header.get("entry", "app:app"),
              "points": header.get("points", 100), "feedback": header.get("feedback", "hints"),
              "timeout_s": header.get("timeout_s", 20), "memory_mb": header.get("memory_mb", 0),
              "control_fd": control_fd, "results_fd": results_fd, "sweep_fd": sweep_fd,
              "app_dir": SRC_DIR, "tests_dir": TESTS_DIR}
    os.write(go_write, json.dumps(config).encode())
    os.close(go_write)
    status, killed = serve_until_done(harness, float(config["timeout_s"]) + BACKSTOP_S, sweeps,
                                      learner_uid, zygote)
    kill_uid(learner_uid)
    reason = ""
    if killed:  # the harness enforces the suite's deadline itself; this is only a backstop
        reason = "timeout"
    elif status == -signal.SIGKILL:  # nobody here kills the harness: the kernel did, for memory
        reason = "memory"
    if reason:
        record = {"type": "aborted", "reason": reason}
        os.write(1, f"{config['nonce']} {json.dumps(record)}\n".encode())
    return status


if __name__ == "__main__":
    sys.exit(main())
