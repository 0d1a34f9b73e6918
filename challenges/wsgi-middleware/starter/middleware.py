"""WSGI middleware: plain callables that wrap another WSGI application."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable

Environ = dict
StartResponse = Callable
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class MethodOverrideMiddleware:
    """Lets a POST say which method it really means (PUT, PATCH or DELETE)."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        return self.app(environ, start_response)


class MaintenanceMiddleware:
    """Answers 503 for everything but /health while the flag file exists."""

    def __init__(self, app: WSGIApp, flag_path: str) -> None:
        self.app = app
        self.flag_path = flag_path

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        return self.app(environ, start_response)


class ServerTimingMiddleware:
    """Adds a Server-Timing header with the time the wrapped app took."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        return self.app(environ, start_response)
