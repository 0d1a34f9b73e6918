"""`live_server` serves the Flask-SocketIO server when the app has the extension, plain WSGI otherwise."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from runner import Verdict, load_challenge
from runner.harness.zygote import socketio_request_handler

CHALLENGES = Path(__file__).parent / "challenges"


@pytest.fixture(scope="module")
def socket_echo():
    return load_challenge(CHALLENGES / "socket-echo")


def statuses(result) -> dict[str, str]:
    return {t.id.split("::")[1]: t.status for t in result.tests}


@pytest.mark.docker
def test_socketio_clients_reach_the_learner_app(graded, socket_echo):
    """WebSocket clients connect, get replies, join rooms and hear emits made by HTTP views"""
    solution = (socket_echo.solution_dir / "app.py").read_text()
    result = graded(socket_echo, {"app.py": solution})
    assert result.status is Verdict.PASSED, result.to_dict()
    assert statuses(result) == {"test_plain_http": "passed", "test_echo_over_websocket": "passed",
                                "test_http_emits_to_a_room": "passed"}


@pytest.mark.docker
def test_an_app_without_socketio_is_served_as_plain_wsgi(graded, socket_echo):
    """Without the extension HTTP still works and a Socket.IO client is refused"""
    starter = (socket_echo.starter_dir / "app.py").read_text()
    result = graded(socket_echo, {"app.py": starter})
    assert result.status is Verdict.FAILED
    assert statuses(result) == {"test_plain_http": "passed", "test_echo_over_websocket": "failed",
                                "test_http_emits_to_a_room": "failed"}


@pytest.mark.parametrize("mode", ["eventlet", "gevent", None])
def test_only_threading_mode_is_served(mode):
    """An async mode the sandbox cannot run is a clear error, not a server that never answers"""
    extension = SimpleNamespace(server=SimpleNamespace(async_mode=mode))
    with pytest.raises(RuntimeError, match="async_mode 'threading'"):
        socketio_request_handler(extension)

