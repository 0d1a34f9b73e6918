"""The one module that talks to Docker: sandbox containers, the warm pool, and image builds."""

from __future__ import annotations

import atexit
import logging
import os
import queue
import socket
import struct
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import docker
from docker.errors import APIError, BuildError, DockerException, ImageNotFound, NotFound
from docker.types import LogConfig, Ulimit

from .job import HOST_GRACE_S, Job, OnLine, SandboxExit
from .model import EngineUnavailable, RunnerError
from .settings import RunnerSettings

log = logging.getLogger(__name__)

LABEL = "flask-grader"
DEFAULT_MEMORY_MB = 256
WARM_MAX_AGE_S = 150  # the entrypoint gives up waiting for a job after 180 s
MAX_OUTPUT = 8 * 1024 * 1024
CAPABILITIES = ["CHOWN", "SETUID", "SETGID", "KILL"]  # only to start learner processes under a uid


def engine_url() -> str:
    return os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")


def connect(timeout: int = 30) -> docker.DockerClient:
    """A client that has answered a ping, or `EngineUnavailable` naming the socket tried."""
    url = engine_url()
    try:
        client = docker.DockerClient(base_url=url, timeout=timeout)
        client.ping()
        return client
    except (DockerException, OSError) as exc:
        reason = str(exc).split("(Caused by", 1)[0].strip() or type(exc).__name__
        raise EngineUnavailable(
            f"Cannot reach the Docker engine at {url}: {reason}. Is dockerd running?") from None


def probe(settings: RunnerSettings) -> tuple[bool, str]:
    """(ok, message): the engine answers and the runner image exists."""
    image = settings.image
    try:
        client = connect(timeout=5)
    except EngineUnavailable as exc:
        return False, str(exc)
    try:
        client.images.get(image)
    except ImageNotFound:
        return False, (f"The runner image {image} does not exist; build it with "
                       "`flask --app grader runner build`")
    except DockerException as exc:
        return False, f"The Docker engine at {engine_url()} failed: {exc}"
    return True, f"Docker engine at {engine_url()}, image {image}"


def sandbox_options(image: str, memory_mb: int) -> dict[str, Any]:
    """The container settings that make the sandbox (see the README's security model)."""
    return {
        "image": image,
        "stdin_open": True,
        "detach": True,
        "network_mode": "none",
        "mem_limit": f"{memory_mb}m",
        "memswap_limit": f"{memory_mb}m",
        "pids_limit": 512,
        "nano_cpus": 1_000_000_000,
        "read_only": True,
        "tmpfs": {"/tmp": "size=32m,mode=1777,noexec,nosuid,nodev",
                  "/run/grader": "size=16m,mode=0755,noexec,nosuid,nodev",
                  "/home/learner": "size=32m,mode=0755,noexec,nosuid,nodev"},
        "cap_drop": ["ALL"],
        "cap_add": CAPABILITIES,
        "security_opt": ["no-new-privileges"],
        "ulimits": [Ulimit(name="nofile", soft=512, hard=512),
                    Ulimit(name="fsize", soft=32 * 1024 * 1024, hard=32 * 1024 * 1024)],
        "shm_size": "16m",
        "init": True,
        "user": "0",
        "labels": {LABEL: "sandbox", f"{LABEL}.owner": f"{socket.gethostname()}:{os.getpid()}"},
        "log_config": LogConfig(type="none"),
        "environment": {},
    }


class DockerBackend:
    """Runs each job in a fresh container; keeps `warm` containers started ahead of time."""

    def __init__(self, settings: RunnerSettings) -> None:
        self.settings = settings
        self.image = settings.image
        self.warm = settings.warm_sandboxes
        self.client = connect()
        try:
            self.client.images.get(self.image)
        except ImageNotFound:
            raise EngineUnavailable(f"The runner image {self.image} does not exist; build it with "
                                    "`flask --app grader runner build`") from None
        self.ready: queue.Queue[tuple[Any, float, int]] = queue.Queue()
        self.starting = 0
        self.last_memory_mb = DEFAULT_MEMORY_MB
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=max(2, self.warm), thread_name_prefix="sandbox")
        self._remove_leftovers()
        self._refill()
        atexit.register(self.close)

    # -- containers ---------------------------------------------------------------------------
    def _create(self, memory_mb: int) -> Any:
        try:
            container = self.client.containers.create(**sandbox_options(self.image, memory_mb))
            container.start()
            return container
        except ImageNotFound:
            raise EngineUnavailable(f"The runner image {self.image} does not exist; build it "
                                    "with `flask --app grader runner build`") from None
        except (APIError, DockerException, OSError) as exc:
            if _is_connection_error(exc):
                raise EngineUnavailable(f"Cannot reach the Docker engine at {engine_url()}: "
                                        f"{exc}") from None
            raise RunnerError(f"could not start a sandbox container: {exc}") from None

    def _start_warm(self) -> None:
        memory_mb = self.last_memory_mb  # the next job most likely has the same limit
        try:
            container = self._create(memory_mb)
            self.ready.put((container, time.monotonic(), memory_mb))
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

    def _take(self, memory_mb: int) -> Any:
        self.last_memory_mb = memory_mb
        while True:
            try:
                container, born, current_mb = self.ready.get_nowait()
            except queue.Empty:
                container = self._create(memory_mb)
                break
            if time.monotonic() - born > WARM_MAX_AGE_S:
                self._discard(container)
                continue
            if current_mb != memory_mb:
                try:
                    container.update(mem_limit=f"{memory_mb}m", memswap_limit=f"{memory_mb}m")
                except DockerException:
                    self._discard(container)
                    continue
            break
        self._refill()
        return container

    def _discard(self, container: Any) -> None:
        self.pool.submit(_remove, container)

    def _remove_leftovers(self) -> None:
        """Remove stopped sandboxes from earlier processes (never running ones: others' work)."""
        try:
            # sparse: a full listing inspects each one and fails if any vanishes meanwhile
            for listed in self.client.containers.list(all=True, sparse=True,
                                                      filters={"label": LABEL, "status": "exited"}):
                try:
                    c = self.client.containers.get(listed.id)
                except NotFound:
                    continue
                finished = c.attrs.get("State", {}).get("FinishedAt", "")[:19]
                # a container that just stopped may still be read by its owner: leave it
                if finished and finished < _utc_seconds_ago(120):
                    self.pool.submit(_remove, c)
        except DockerException as exc:
            log.warning("could not list old sandboxes: %s", exc)

    def close(self) -> None:
        """Remove the idle warm containers (they were never used)."""
        self.warm = 0
        while True:
            try:
                container, _, _ = self.ready.get_nowait()
            except queue.Empty:
                break
            _remove(container)

    # -- one run ------------------------------------------------------------------------------
    def run(self, job: Job, on_line: OnLine) -> SandboxExit:
        container = self._take(job.memory_mb)
        try:
            return self._run_in(container, job, on_line)
        finally:
            self._discard(container)

    def _run_in(self, container: Any, job: Job, on_line: OnLine) -> SandboxExit:
        try:
            attached = self.client.api.attach_socket(
                container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
        except (DockerException, OSError) as exc:
            raise RunnerError(f"could not attach to the sandbox: {exc}") from None
        raw: socket.socket = getattr(attached, "_sock", attached)
        ended = SandboxExit()
        deadline = time.monotonic() + job.timeout_s + HOST_GRACE_S
        try:
            raw.sendall(job.payload())
            ended.timed_out = not _pump(raw, deadline, on_line, ended)
        except OSError as exc:
            ended.error = f"lost the sandbox's output stream ({exc})"
        finally:
            try:
                attached.close()
            except OSError:
                pass
        if ended.timed_out:
            try:
                container.kill()
            except DockerException:
                pass
        try:
            state = container.wait(timeout=10)
            ended.exit_code = int(state.get("StatusCode", -1))
            container.reload()
            ended.oom_killed = bool(container.attrs["State"].get("OOMKilled"))
        except (DockerException, OSError) as exc:
            if not ended.timed_out:
                ended.error = ended.error or f"the sandbox did not stop cleanly ({exc})"
        return ended


def _pump(raw: socket.socket, deadline: float, on_line: OnLine,
          ended: SandboxExit) -> bool:
    """Demultiplex Docker's attach stream until EOF; False when the deadline passed first."""
    buffer, pending, total = b"", b"", 0
    stderr_tail = b""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        raw.settimeout(remaining)
        try:
            chunk = raw.recv(65536)
        except TimeoutError:
            return False
        if not chunk:
            break
        buffer += chunk
        while len(buffer) >= 8:
            kind, size = buffer[0], struct.unpack(">I", buffer[4:8])[0]
            if len(buffer) < 8 + size:
                break
            payload, buffer = buffer[8:8 + size], buffer[8 + size:]
            total += size
            if total > MAX_OUTPUT:
                continue
            if kind == 1:
                pending += payload
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    on_line(line)
                if len(pending) > 1 << 20:
                    pending = b""
            else:
                stderr_tail = (stderr_tail + payload)[-8000:]
    if pending:
        on_line(pending)
    ended.diagnostics = stderr_tail.decode("utf-8", "replace")
    return True


def _utc_seconds_ago(seconds: int) -> str:
    moment = datetime.now(UTC) - timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _remove(container: Any) -> None:
    try:
        container.remove(force=True)
    except NotFound:
        pass
    except DockerException as exc:
        log.warning("could not remove sandbox %s: %s", getattr(container, "short_id", "?"), exc)


def _is_connection_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("connection refused", "connection aborted", "no such file",
                                   "connection reset", "connectionerror"))


# -- images ---------------------------------------------------------------------------------------

def image_exists(name: str) -> bool:
    try:
        connect().images.get(name)
        return True
    except ImageNotFound:
        return False


def try_pull(name: str) -> bool:
    """Pull an image; False (quietly) when no registry answers."""
    repository, _, tag = name.partition(":")
    try:
        connect().images.pull(repository, tag=tag or "latest")
        return True
    except DockerException as exc:
        log.info("cannot pull %s: %s", name, str(exc).splitlines()[0][:200])
        return False


def import_rootfs(tar_path: Path, name: str) -> None:
    """`docker import` of a root filesystem tarball (the offline base image)."""
    repository, _, tag = name.partition(":")
    client = connect(timeout=600)
    with open(tar_path, "rb") as stream:
        client.api.import_image_from_data(stream.read(), repository=repository, tag=tag or "latest")


def build(context: Path, tag: str, buildargs: dict[str, str],
          progress: Callable[[str], None] = print, labels: dict[str, str] | None = None) -> None:
    """Build an image from a prepared context with no network inside the build."""
    client = connect(timeout=1800)
    try:
        previous = client.images.get(tag).id
    except DockerException:
        previous = None
    try:
        for chunk in client.api.build(path=str(context), tag=tag, buildargs=buildargs, rm=True,
                                      forcerm=True, network_mode="none", decode=True,
                                      labels=labels or None):
            if "stream" in chunk and chunk["stream"].strip():
                progress(chunk["stream"].rstrip())
            if "error" in chunk:
                raise RunnerError(f"image build failed: {chunk['error'].strip()}")
    except (BuildError, APIError) as exc:
        raise RunnerError(f"image build failed: {exc}") from None
    _remove_replaced_image(client, tag, previous)


def _remove_replaced_image(client: docker.DockerClient, tag: str, previous: str | None) -> None:
    """A rebuild leaves the old image untagged: remove it unless something still uses it."""
    try:
        if previous and client.images.get(tag).id != previous:
            client.images.remove(previous)
    except DockerException as exc:
        log.info("kept the replaced image %s: %s", previous, str(exc).splitlines()[0][:200])
