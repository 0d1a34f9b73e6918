"""Public checks for the chat rooms: run them while you work."""

from __future__ import annotations

import queue

import socketio


def test_join_is_acknowledged(live_server):
    """A client that joins a room gets an acknowledgement and hears its own arrival"""
    client = socketio.Client(reconnection=False)
    heard: queue.Queue = queue.Queue()
    client.on("status", heard.put)
    client.connect(live_server, transports=["websocket"], wait_timeout=5)
    try:
        assert client.call("join", {"room": "kitchen", "name": "ann"}, timeout=5) == {
            "ok": True, "room": "kitchen"}
        assert heard.get(timeout=5) == {"room": "kitchen", "text": "ann joined"}
    finally:
        client.disconnect()


def test_announcement_is_accepted(client):
    """POST /rooms/<room>/announcements answers with the announcement"""
    r = client.post("/rooms/kitchen/announcements", json={"text": "dinner"})
    assert r.status_code == 200
    assert r.get_json() == {"room": "kitchen", "text": "dinner"}
