"""The one module that talks to Docker: sandbox containers, their streams, and image builds.

The warm pool and the lifecycle rules live in `sandboxes`, which speaks to Docker only through
`Engine` here.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docker
import requests
from docker.errors import APIError, BuildError, DockerException, ImageNotFound, NotFound
from docker.types import LogConfig, Ulimit

from .job import HOST_GRACE_S, Job, OnLine, SandboxExit
from .model import EngineUnavailable, RunnerError
from .settings import RunnerSettings

log = logging.getLogger(__name__)

LABEL = "flask-grader"
MAX_OUTPUT = 8 * 1024 * 1024
CAPABILITIES = ["CHOWN", "SETUID", "SETGID", "KILL"]  # only to start learner processes under a uid
SECCOMP_PATH = Path(__file__).resolve().parent / "seccomp.json"
RUNSC_EXTRA_MB = 128
_SECCOMP: dict[str, str] = {}


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
    """(ok, message): the engine answers, the runner image exists, the runtime is known."""
    image = settings.image
    try:
        client = connect(timeout=5)
    except EngineUnavailable as exc:
        return False, str(exc)
    try:
        client.images.get(image)
        missing = _missing_runtime(client, settings.runtime)
    except ImageNotFound:
        return False, (f"The runner image {image} does not exist; build it with "
                       "`flask --app grader runner build`")
    except DockerException as exc:
        return False, f"The Docker engine at {engine_url()} failed: {exc}"
    if missing:
        return False, missing
    return True, f"Docker engine at {engine_url()}, image {image}, runtime {settings.runtime}"


def runtime_problem(settings: RunnerSettings) -> str | None:
    """Why the configured sandbox runtime cannot be used, or None (also when nobody answers:
    an engine that is down is a pause, not a wrong setting)."""
    if settings.runtime == "runc":
        return None
    try:
        return _missing_runtime(connect(timeout=5), settings.runtime)
    except (EngineUnavailable, DockerException):
        return None


def _missing_runtime(client: docker.DockerClient, runtime: str) -> str | None:
    if runtime == "runc" or runtime in (client.info().get("Runtimes") or {}):
        return None
    return (f"GRADER_SANDBOX_RUNTIME={runtime}, but the Docker engine at {engine_url()} has no "
            f"{runtime} runtime; register it with `GRADER_SANDBOX_RUNTIME={runtime} bash "
            "scripts/setup.sh`")


def seccomp_profile(runtime: str = "runc") -> str:
    """The project's seccomp profile (runner/seccomp.json) as the engine expects it: the JSON.

    Under gVisor one rule changes: `clone3` is answered ENOSYS so that the C library falls
    back to `clone`, whose flags the profile can check; gVisor returns EPERM instead of a
    rule's errno, which stops the fallback (and every new thread), so there `clone3` reaches
    gVisor, which does not implement it and says ENOSYS itself.
    """
    if runtime not in _SECCOMP:
        profile = json.loads(SECCOMP_PATH.read_text(encoding="utf-8"))
        if runtime == "runsc":
            for rule in profile["syscalls"]:
                if rule["names"] == ["clone3"]:
                    rule["action"] = "SCMP_ACT_ALLOW"
                    rule.pop("errnoRet", None)
        _SECCOMP[runtime] = json.dumps(profile, separators=(",", ":"))
    return _SECCOMP[runtime]


def container_memory_mb(settings: RunnerSettings, memory_mb: int) -> int:
    """The container's limit for a challenge's `memory_mb`."""
    # gVisor's own kernel lives inside the container's memory limit: give it room on top
    return memory_mb + (RUNSC_EXTRA_MB if settings.runtime == "runsc" else 0)


def sandbox_options(settings: RunnerSettings, memory_mb: int) -> dict[str, Any]:
    """The container settings that make the sandbox (see docs/security.md).

    `host` goes to the engine's host configuration, the rest to the container's.
    """
    security = ["no-new-privileges"]
    memory_mb = container_memory_mb(settings, memory_mb)
    if settings.seccomp:
        security.append(f"seccomp={seccomp_profile(settings.runtime)}")
    host: dict[str, Any] = {
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
        "security_opt": security,
        "ulimits": [Ulimit(name="nofile", soft=512, hard=512),
                    Ulimit(name="fsize", soft=32 * 1024 * 1024, hard=32 * 1024 * 1024)],
        "shm_size": "16m",
        "init": True,
        "log_config": LogConfig(type="none"),
        "auto_remove": True,  # a container that stops is removed by the engine itself
    }
    if settings.runtime != "runc":
        host["runtime"] = settings.runtime
    return {
        "image": settings.image,
        # stdin open and not detached: the engine closes stdin when the attached client goes
        # away (StdinOnce), so a sandbox whose owner died stops waiting for a job
        "stdin_open": True,
        "detach": False,
        "user": "0",
        "labels": {LABEL: "sandbox", f"{LABEL}.owner": f"{socket.gethostname()}:{os.getpid()}"},
        "environment": {},
        "host": host,
    }


class Engine:
    """The sandbox operations the pool needs, on one engine client; Docker's errors translated.

    Every container this creates is removed on every path: a start that fails removes it at
    once, a finished one removes itself (`auto_remove`), and one whose owner goes away loses
    its only attached client, which closes its stdin (`stdin_once`) so its entry point exits.
    """

    def __init__(self, settings: RunnerSettings) -> None:
        self.settings = settings
        self.client = connect()
        try:
            self.client.images.get(settings.image)
        except ImageNotFound:
            raise EngineUnavailable(f"The runner image {settings.image} does not exist; build it "
                                    "with `flask --app grader runner build`") from None
        missing = _missing_runtime(self.client, settings.runtime)
        if missing:
            raise EngineUnavailable(missing)
        self._events: docker.APIClient | None = None

    def _start(self, memory_mb: int, labels: dict[str, str]) -> Sandbox:
        options = sandbox_options(self.settings, memory_mb)
        options["labels"] = {**options["labels"], **labels}
        container_id, attached = None, None
        try:
            host = self.client.api.create_host_config(**options.pop("host"))
            container_id = self.client.api.create_container(**options, host_config=host)["Id"]
            attached = self.client.api.attach_socket(
                container_id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
            self.client.api.start(container_id)
            return Sandbox(container_id, attached, memory_mb)
        except (DockerException, OSError):
            if attached is not None:
                attached.close()
            self.remove(container_id)
            raise

    def start(self, memory_mb: int, labels: dict[str, str]) -> Sandbox:
        """A started sandbox with its input and output attached (attached before the start)."""
        try:
            return self._start(memory_mb, labels)
        except ImageNotFound:
            raise EngineUnavailable(f"The runner image {self.settings.image} does not exist; "
                                    "build it with `flask --app grader runner build`") from None
        except (DockerException, OSError) as exc:
            if _is_connection_error(exc):
                raise EngineUnavailable(f"Cannot reach the Docker engine at {engine_url()}: "
                                        f"{exc}") from None
            raise RunnerError(f"could not start a sandbox container: {exc}") from None

    def answers(self) -> bool:
        """Does the engine still answer? (a run's output ended and its exit is slow to come)"""
        try:
            self.client.ping()
            return True
        except (DockerException, OSError, requests.exceptions.RequestException) as exc:
            if _is_connection_error(exc):
                return False
            return True  # it answered, with an error: it is there

    def set_memory(self, sandbox: Sandbox, memory_mb: int) -> bool:
        limit = f"{container_memory_mb(self.settings, memory_mb)}m"
        try:
            self.client.api.update_container(sandbox.id, mem_limit=limit, memswap_limit=limit)
        except DockerException:
            return False
        sandbox.memory_mb = memory_mb
        return True

    def watch(self, owner: str, on_event: Callable[[str, str, dict[str, str]], None],
              stop: threading.Event, connected: threading.Event) -> None:
        """Feed (container id, "die", "oom" or "kill", attributes) for the owner's sandboxes,
        until stop.

        One stream of the engine's events for all of them, rather than a wait per container.
        A broken stream is opened again, from the time of the last event seen.
        """
        since = None
        while not stop.is_set():
            try:
                client = docker.APIClient(base_url=engine_url(), version=self.client.api.api_version,
                                          timeout=None)
                self._events = client
                filters = {"type": "container", "event": ["die", "oom", "kill"],
                           "label": f"{LABEL}.owner={owner}"}
                stream = client.events(since=since, filters=filters, decode=True)
                connected.set()
                for event in stream:
                    since = event.get("time", since)
                    actor = event.get("Actor") or {}
                    on_event(str(event.get("id", actor.get("ID", ""))),
                             str(event.get("Action") or event.get("status") or ""),
                             dict(actor.get("Attributes") or {}))
            except (DockerException, OSError, requests.exceptions.RequestException) as exc:
                if not stop.is_set():
                    log.info("the engine's event stream broke (%s); opening it again", exc)
            stop.wait(1.0)

    def stop_watching(self) -> None:
        if self._events is not None:
            self._events.close()

    def kill(self, sandbox: Sandbox) -> None:
        try:
            self.client.api.kill(sandbox.id)
        except DockerException:
            pass

    def remove(self, container_id: str | None) -> None:
        if container_id is None:
            return
        try:
            self.client.api.remove_container(container_id, force=True)
        except NotFound:
            pass
        except DockerException as exc:
            if "already in progress" not in str(exc):
                log.warning("could not remove sandbox %s: %s", container_id[:12], exc)

    def list_sandboxes(self) -> list[tuple[str, dict[str, str], bool]]:
        """(id, labels, running?) of every sandbox on this engine, in any state."""
        found = self.client.api.containers(all=True, filters={"label": f"{LABEL}=sandbox"})
        return [(c["Id"], dict(c.get("Labels") or {}), c.get("State") == "running")
                for c in found]


class Sandbox:
    """One started container and the attached stream that is its stdin and stdout."""

    def __init__(self, container_id: str, attached: Any, memory_mb: int) -> None:
        self.id = container_id
        self.attached = attached
        self.sock: socket.socket = getattr(attached, "_sock", attached)
        self.memory_mb = memory_mb
        self.born = time.monotonic()

    def close(self) -> None:
        try:
            self.attached.close()
        except OSError:
            pass


def run_job(sandbox: Sandbox, job: Job, on_line: OnLine) -> tuple[SandboxExit, bool]:
    """Send the job and read the output until it is complete, EOF or the deadline.

    Returns how it ended and whether the job reached the sandbox at all.
    """
    ended = SandboxExit()
    deadline = time.monotonic() + job.timeout_s + HOST_GRACE_S
    try:
        sandbox.sock.sendall(job.payload())
    except OSError:
        return ended, False
    try:
        _pump(sandbox.sock, deadline, on_line, ended)
    except OSError as exc:
        ended.error = f"lost the sandbox's output stream ({exc})"
    return ended, True


def _pump(raw: socket.socket, deadline: float, on_line: OnLine, ended: SandboxExit) -> None:
    """Demultiplex Docker's attach stream until the records are complete, EOF or the deadline."""
    buffer, pending, total = b"", b"", 0
    stderr_tail = b""
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                ended.timed_out = True
                return
            raw.settimeout(remaining)
            try:
                chunk = raw.recv(65536)
            except TimeoutError:
                ended.timed_out = True
                return
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
                        if on_line(line):
                            ended.completed = True
                            return
                    if len(pending) > 1 << 20:
                        pending = b""
                else:
                    stderr_tail = (stderr_tail + payload)[-8000:]
        if pending and on_line(pending):
            ended.completed = True
    finally:
        ended.diagnostics = stderr_tail.decode("utf-8", "replace")


def _is_connection_error(exc: BaseException) -> bool:
    """Did the engine not answer at all (rather than answer with an error)?"""
    if isinstance(exc, APIError):  # an HTTP answer: the engine is there and said no
        return False
    text = str(exc).lower()
    return isinstance(exc, (ConnectionError, requests.exceptions.ConnectionError)) or any(
        s in text for s in ("connection refused", "connection aborted", "connection reset"))


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
