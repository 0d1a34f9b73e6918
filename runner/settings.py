"""The runner's configuration: handed in by the caller; the environment is only the default.

The server builds a `RunnerSettings` from its own configuration and calls `configure()` once
(from `create_app`); standalone use (`python -m runner`, the command-line tool, scripts) gets
`RunnerSettings.from_env()`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_IMAGE = "flask-grader-runner:latest"
BACKENDS = ("docker", "local")
RUNTIMES = ("runc", "runsc")


class SettingsError(ValueError):
    """A runner setting that cannot work; its message is one line naming the setting."""


@dataclass(frozen=True)
class RunnerSettings:
    """How the runner grades: which backend, which image, how many sandboxes kept warm."""

    image: str = DEFAULT_IMAGE
    warm_sandboxes: int = 1  # containers started ahead of time (one per parallel grading)
    backend: str = "docker"  # "docker" (the sandbox) or "local" (no isolation, for authors)
    runtime: str = "runc"  # the OCI runtime of sandboxes: "runc", or "runsc" for gVisor
    seccomp: bool = True  # apply the project's seccomp profile (runner/seccomp.json)

    def __post_init__(self) -> None:
        if not isinstance(self.image, str) or not self.image.strip():
            raise SettingsError("the runner image name must not be empty")
        if not isinstance(self.warm_sandboxes, int) or self.warm_sandboxes < 0:
            raise SettingsError(f"warm sandboxes must be a whole number >= 0, "
                                f"got {self.warm_sandboxes!r}")
        if self.backend not in BACKENDS:
            raise SettingsError(f"the runner backend must be one of {', '.join(BACKENDS)}, "
                                f"got {self.backend!r}")
        if self.runtime not in RUNTIMES:
            raise SettingsError(f"the sandbox runtime must be one of {', '.join(RUNTIMES)}, "
                                f"got {self.runtime!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RunnerSettings:
        """Defaults for standalone use, from `GRADER_*` variables (see docs/operations.md)."""
        env = os.environ if env is None else env
        warm = (env.get("GRADER_WARM_SANDBOXES") or env.get("GRADER_WORKERS") or "").strip()
        if warm and not warm.isdigit():
            raise SettingsError(f"GRADER_WARM_SANDBOXES must be a whole number, got {warm!r}")
        seccomp = (env.get("GRADER_SECCOMP") or "on").strip().lower()
        if seccomp not in ("on", "off", "1", "0", "true", "false", "yes", "no"):
            raise SettingsError(f"GRADER_SECCOMP must be on or off, got {seccomp!r}")
        try:
            return cls(
                image=(env.get("GRADER_RUNNER_IMAGE") or "").strip() or DEFAULT_IMAGE,
                warm_sandboxes=int(warm) if warm else 1,
                backend=(env.get("GRADER_BACKEND") or "").strip().lower() or "docker",
                runtime=(env.get("GRADER_SANDBOX_RUNTIME") or "").strip().lower() or "runc",
                seccomp=seccomp in ("on", "1", "true", "yes"),
            )
        except SettingsError as exc:
            raise SettingsError(f"{exc} (from the GRADER_* environment)") from None


_configured: RunnerSettings | None = None
_lock = threading.Lock()


def configure(settings: RunnerSettings) -> None:
    """Make `settings` this process's runner configuration (the server calls this once)."""
    global _configured
    if not isinstance(settings, RunnerSettings):
        raise TypeError("configure() takes a RunnerSettings")
    with _lock:
        _configured = settings


def current_settings() -> RunnerSettings:
    """The configured settings, or the environment's defaults when nobody configured any."""
    return _configured if _configured is not None else RunnerSettings.from_env()
