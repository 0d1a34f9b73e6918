"""Public checks for the live order updates: run them while you work."""

from __future__ import annotations

import socketio


def test_client_with_token_connects(live_server):
    """A client with a valid token connects to /orders and can list its orders"""
    client = socketio.Client(reconnection=False)
    client.connect(live_server, namespaces=["/orders"], transports=["websocket"],
                   auth={"token": "ann-token"}, wait_timeout=5)
    try:
        assert client.call("orders", namespace="/orders", timeout=5) == []
    finally:
        client.disconnect()


def test_client_without_token_is_refused(live_server):
    """A client without a token is refused"""
    client = socketio.Client(reconnection=False)
    try:
        client.connect(live_server, namespaces=["/orders"], transports=["websocket"],
                       wait_timeout=5)
    except socketio.exceptions.ConnectionError:
        return
    client.disconnect()
    raise AssertionError("the connection was accepted")
