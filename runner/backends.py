"""Where a job runs: a small registry of backends, each made once per configuration.

`docker` is the sandbox (`sandboxes`, on `docker_engine`); `local` runs the same harness in subprocesses with no
isolation, for authors and public tests. A backend module is imported only when first used, so
the local backend needs no Docker client library at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from .job import Job, OnLine, SandboxExit
from .settings import RunnerSettings


class Backend(Protocol):
    """Runs one job, feeding each line of the harness's output to `on_line`."""

    def run(self, job: Job, on_line: OnLine) -> SandboxExit: ...


BackendFactory = Callable[[RunnerSettings], Backend]

_factories: dict[str, BackendFactory] = {}
_instances: dict[tuple[str, RunnerSettings], Backend] = {}
_lock = threading.Lock()


def register(name: str, factory: BackendFactory) -> None:
    """Make `factory(settings)` the way to build the backend called `name`."""
    with _lock:
        _factories[name] = factory


def get_backend(name: str, settings: RunnerSettings) -> Backend:
    """The backend `name` for these settings (built on first use, then shared)."""
    with _lock:
        factory = _factories.get(name)
        if factory is None:
            known = " or ".join(sorted(_factories))
            raise ValueError(f"unknown runner backend {name!r} ({known})")
        key = (name, settings)
        if key not in _instances:
            _instances[key] = factory(settings)
        return _instances[key]


def close_all() -> None:
    """Close every backend made in this process (a clean exit: warm sandboxes are removed)."""
    with _lock:
        made = list(_instances.values())
        _instances.clear()
    for backend in made:
        close = getattr(backend, "close", None)
        if close is not None:
            close()


def cancel_all() -> None:
    """Cancel the jobs every backend of this process is running, and refuse new ones.

    For a process that is stopping and hands its work back: each cancelled job ends at once as a
    grader fault, which its caller does not record.
    """
    with _lock:
        made = list(_instances.values())
    for backend in made:
        cancel = getattr(backend, "cancel", None)
        if cancel is not None:
            cancel()


def _docker(settings: RunnerSettings) -> Backend:
    from .sandboxes import DockerBackend

    return DockerBackend(settings)


def _local(settings: RunnerSettings) -> Backend:
    from .local import LocalBackend

    return LocalBackend()


register("docker", _docker)
register("local", _local)
