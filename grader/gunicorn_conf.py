"""gunicorn settings of the web role (`gunicorn -c python:grader.gunicorn_conf`): a clean stop.

A web process holds no grading work (that lives in the database and the Celery workers), but
every open Socket.IO connection holds one of its threads in a request that does not end by
itself: on SIGTERM gunicorn's graceful stop would wait its whole `graceful_timeout` (30 s) for
them, then cut them off. Here the worker closes every Engine.IO session as soon as it is told to
stop, so the clients are told at once (browsers reconnect, to another web container behind the
load balancer), the request threads end, and the process exits within a few seconds.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any


def post_worker_init(worker: Any) -> None:
    """Chain a 'disconnect every live client' step after the worker's own SIGTERM handler, and
    let the worker's threads take turns for the GIL as Socket.IO broadcasts need."""
    from .live import tune_for_many_connections

    tune_for_many_connections()
    stop_accepting = signal.getsignal(signal.SIGTERM)

    def on_term(signum: int, frame: FrameType | None) -> None:
        if callable(stop_accepting):
            stop_accepting(signum, frame)
        # Closing sessions takes locks and writes to sockets: not inside a signal handler.
        threading.Thread(target=_disconnect_clients, args=(worker,), name="live-close",
                         daemon=True).start()

    signal.signal(signal.SIGTERM, on_term)
    # signal.signal makes the signal interrupt system calls again; gunicorn wants them resumed.
    signal.siginterrupt(signal.SIGTERM, False)


def _disconnect_clients(worker: Any) -> None:
    from .live import disconnect_all

    try:
        closed = disconnect_all()
    except Exception:  # the stop goes on; the graceful timeout still ends the connections
        worker.log.exception("could not close the live connections")
        return
    worker.log.info("closed %d live connection(s) on the way out", closed)
