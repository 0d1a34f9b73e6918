"""WSGI middleware: plain callables that wrap another WSGI application."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable

Environ = dict
StartResponse = Callable
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]
OVERRIDABLE = {"PUT", "PATCH", "DELETE"}


class MethodOverrideMiddleware:
    """Lets a POST say which method it really means (PUT, PATCH or DELETE)."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        wanted = environ.get("HTTP_X_HTTP_METHOD_OVERRIDE", "").upper()
        # only a POST may be turned into another method: a GET must never delete anything
        if environ.get("REQUEST_METHOD") == "POST" and wanted in OVERRIDABLE:
            environ["REQUEST_METHOD"] = wanted
        return self.app(environ, start_response)


class MaintenanceMiddleware:
    """Answers 503 for everything but /health while the flag file exists."""

    def __init__(self, app: WSGIApp, flag_path: str) -> None:
        self.app = app
        self.flag_path = flag_path

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        # checked on every request so maintenance can start and stop without a restart
        if environ.get("PATH_INFO") != "/health" and os.path.exists(self.flag_path):
            body = json.dumps({"error": "down for maintenance"}).encode()
            start_response("503 Service Unavailable", [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Retry-After", "120"),
            ])
            return [body]
        return self.app(environ, start_response)


class ServerTimingMiddleware:
    """Adds a Server-Timing header with the time the wrapped app took."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()

        def timed_start_response(status, headers, exc_info=None):
            elapsed_ms = (time.perf_counter() - started) * 1000
            headers = [*headers, ("Server-Timing", f"app;dur={elapsed_ms:.2f}")]
            return start_response(status, headers, exc_info)

        return self.app(environ, timed_start_response)
