"""Real components for tests: Docker, Redis, PostgreSQL, Chromium.

Under CI=true a missing component fails the test; elsewhere it skips it, with the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


def missing(component: str, reason: str) -> None:
    """Fail under CI, skip elsewhere: a missing component is never a silent pass."""
    message = f"{component} is not available: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0, proc: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return True
        time.sleep(0.05)
    return False


def interrupt(proc: subprocess.Popen, wait_s: float = 10.0) -> None:
    """Stop a server as Ctrl-C does (it then exits normally and cleans up after itself); kill it
    if it has not exited within `wait_s`."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(wait_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def chromium_executable() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        missing("Chromium", "install it with `apt-get install -y chromium`")
    return path


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway Redis on a free loopback port; yields its URL."""
    exe = shutil.which("redis-server")
    if exe is None:
        missing("Redis", "redis-server is not installed (apt-get install -y redis-server)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="grader-redis-") as tmp:
        proc = subprocess.Popen(
            [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not wait_for_port(port, proc=proc):
                missing("Redis", "redis-server did not start")
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            proc.wait(10)


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free loopback port; yields a SQLAlchemy URL."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        missing("PostgreSQL", "the server is not installed (apt-get install -y postgresql)")
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="grader-pg-")
    data = Path(tmp) / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(tmp, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    try:
        subprocess.run([*as_user, initdb, "-D", str(data), "-U", "grader", "--auth=trust", "-E", "UTF8"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-w", "-l", str(Path(tmp) / "log"), "-o",
                        f"-p {port} -k {tmp} -h 127.0.0.1 -c fsync=off", "start"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            subprocess.run([_pg_bin("createdb") or "createdb", "-h", "127.0.0.1", "-p", str(port),
                            "-U", "grader", "grader"], check=True)
            yield f"postgresql+psycopg://grader@127.0.0.1:{port}/grader"
        finally:
            subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except subprocess.CalledProcessError as exc:
        missing("PostgreSQL", f"could not start a cluster ({exc})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class PrivateEngine:
    """A Docker engine of the tests' own (its socket, data and state folders), which a test may
    stop and start without touching the engine the rest of the suite grades on."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.socket = root / "docker.sock"
        self.url = f"unix://{self.socket}"
        self.process: subprocess.Popen | None = None
        # A bridge of its own: `--bridge none` would make dockerd delete the host's docker0,
        # which the suite's engine still needs for its networked containers.
        self.bridge = f"grtest{os.getpid() % 100000}"

    def _make_bridge(self) -> None:
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True, check=False)
        # dockerd wants an address on the bridge; nothing is routed to it (no iptables rules).
        address = f"10.213.{os.getpid() % 250}.1/24"
        for command in (["ip", "link", "add", self.bridge, "type", "bridge"],
                        ["ip", "addr", "add", address, "dev", self.bridge],
                        ["ip", "link", "set", self.bridge, "up"]):
            made = subprocess.run(command, capture_output=True, text=True, check=False)
            if made.returncode != 0:
                missing("a private Docker engine", f"cannot make its bridge: {made.stderr}")

    def remove_bridge(self) -> None:
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True, check=False)

    def start(self, timeout: float = 60.0) -> None:
        exe = shutil.which("dockerd")
        if exe is None or os.geteuid() != 0:
            missing("a private Docker engine", "dockerd (run as root) is needed")
        self._make_bridge()
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        log = open(self.root / "dockerd.log", "ab")  # noqa: SIM115 - kept open for the process
        self.process = subprocess.Popen(
            [exe, "--host", self.url, "--data-root", str(self.root / "data"),
             "--exec-root", str(self.root / "exec"), "--pidfile", str(self.root / "docker.pid"),
             "--bridge", self.bridge, "--iptables=false", "--ip-masq=false",
             "--ip-forward=false"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if subprocess.run(["docker", "-H", self.url, "info"], capture_output=True,
                              check=False).returncode == 0:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        missing("a private Docker engine",
                f"dockerd did not start: {(self.root / 'dockerd.log').read_text()[-1500:]}")

    def stop(self) -> None:
        """What an engine outage looks like to the grader: the daemon goes away."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(60)
        self.process = None

    def load_image(self, image: str) -> None:
        """Copy an image from the suite's engine (no registry here)."""
        saved = subprocess.Popen(["docker", "save", image], stdout=subprocess.PIPE)
        loaded = subprocess.run(["docker", "-H", self.url, "load"], stdin=saved.stdout,
                                capture_output=True, check=False)
        saved.wait()
        if loaded.returncode != 0 or saved.returncode != 0:
            missing("a private Docker engine", f"cannot load {image}: {loaded.stderr[-500:]!r}")


@contextlib.contextmanager
def private_engine(image: str) -> Iterator[PrivateEngine]:
    """A started private engine holding `image`; stopped and its folders removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="grader-dockerd-", dir="/var/tmp"))
    engine = PrivateEngine(root)
    try:
        engine.start()
        engine.load_image(image)
        yield engine
    finally:
        engine.stop()
        engine.remove_bridge()
        shutil.rmtree(root, ignore_errors=True)
