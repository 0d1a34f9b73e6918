"""The harness process in the container: pytest loaded before the job, started on a signal."""

from __future__ import annotations

import importlib
import json
import os
import sys

import pytest

from . import collect_from_here

# Built-in plugins a hidden suite has no use for in the sandbox (no cache to keep between runs,
# no doctests to collect, nothing to paste, no debugger to drop into). `junitxml` stays: it
# provides the `record_property` fixture that quiz runs pass their computed answers out with.
DISABLED = ("cacheprovider", "stepwise", "doctest", "pastebin", "debugging")


def preload() -> None:
    """Import pytest and its built-in plugins while the container waits for its job.

    pytest.main() imports each built-in plugin when it starts: done here, that time is spent
    before the job exists instead of while a learner waits for the result.
    """
    import _pytest.config

    for name in _pytest.config.default_plugins:
        if name not in DISABLED:
            importlib.import_module(f"_pytest.{name}")


def main(go_fd: int | None = None) -> int:
    if go_fd is None:
        go_fd = int(sys.argv[1])
    preload()

    from . import plugin
    from .suite import not_dumpable

    not_dumpable()  # a test's subprocess runs under this uid: it must not trace the harness
    collect_from_here()
    with os.fdopen(go_fd, "rb") as go:
        raw = go.read()
    if not raw:
        return 3
    config = json.loads(raw)
    plugin.use_config(config)  # in memory only: no environment variable holds the nonce
    os.chdir(config["tests_dir"])
    disabled = [arg for name in DISABLED for arg in ("-p", f"no:{name}")]
    args = ["-p", f"{__package__}.plugin", *disabled, "-q", "--no-header", "-rN", "--rootdir",
            config["tests_dir"], "-c", os.devnull, "-W", "ignore", config["tests_dir"]]
    return int(pytest.main(args))


def run_and_exit(go_fd: int | None = None) -> None:
    """main(), then exit at once: the results are out, tearing the interpreter down only costs
    time (every module's objects freed one by one) while the next grading waits for the CPU."""
    code = main(go_fd)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run_and_exit()
