"""Code that runs where the suite runs: inside the container, or in a local subprocess.

Two sides share this package. The trusted side (`entrypoint`, `run`, `plugin`,
`learner_process` (its handle on the learner's processes), `responses`, `scoring`) runs the
hidden tests; the learner side (`zygote`, with `wire`) runs the learner's app under another uid. Every module uses only relative imports so the package works under any name.
"""

import gc


def collect_from_here() -> None:
    """Cyclic garbage collection back on, with what is loaded so far left out of it for good.

    The entry point starts the harness and the fork server with the collector off while pytest
    or Flask load: imports allocate much and free little, so every collection then is wasted
    CPU. `gc.freeze()` moves every object made so far to a generation no collection scans: the
    modules live as long as the process, so scanning them again and again (the oldest
    generation is scanned whenever it has grown by a quarter) would find nothing, and in the
    fork server a scan would also write to every object's header, copying the shared pages in
    each forked learner process.
    """
    gc.freeze()
    gc.enable()
