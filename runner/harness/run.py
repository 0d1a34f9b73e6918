"""The harness process in the container: pytest loaded before the job, started on a signal."""

from __future__ import annotations

import json
import os
import sys


def main() -> int:
    go_fd = int(sys.argv[1])
    import pytest  # loaded while the container waits for its job

    from . import hints, plugin
    from .suite import not_dumpable

    not_dumpable()  # a test's subprocess runs under this uid: it must not trace the harness
    hints.preload()
    with os.fdopen(go_fd, "rb") as go:
        raw = go.read()
    if not raw:
        return 3
    config = json.loads(raw)
    plugin.use_config(config)  # in memory only: no environment variable holds the nonce
    os.chdir(config["tests_dir"])
    args = ["-p", f"{__package__}.plugin", "-p", "no:cacheprovider", "-p", "no:stepwise",
            "-q", "--no-header", "-rN", "--rootdir", config["tests_dir"], "-c", os.devnull,
            "-W", "ignore", config["tests_dir"]]
    return int(pytest.main(args))


if __name__ == "__main__":
    sys.exit(main())
