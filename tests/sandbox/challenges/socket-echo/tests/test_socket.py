import queue

import pytest
import requests
import socketio


def connect(url, *events):
    """A WebSocket-only client (long-polling is slow to close) and a queue of what it receives."""
    client = socketio.Client(reconnection=False)
    received = queue.Queue()
    for event in events:
        client.on(event, lambda data, event=event: received.put((event, data)))
    client.connect(url, transports=["websocket"], wait_timeout=5)
    return client, received


def test_plain_http(live_server):
    """Plain HTTP is served at the live address"""
    assert requests.get(live_server, timeout=5).text == "ok", "GET / answers ok"


@pytest.mark.points(2)
def test_echo_over_websocket(live_server):
    """A Socket.IO client connects over WebSocket and gets its echo back"""
    client, received = connect(live_server, "echo")
    try:
        assert client.transport() == "websocket", "the server should accept WebSocket"
        client.emit("echo", {"n": 7})
        assert received.get(timeout=5) == ("echo", {"n": 7}), "the echo carries the data sent"
    finally:
        client.disconnect()


@pytest.mark.points(2)
def test_http_emits_to_a_room(live_server):
    """An HTTP request emits to the clients in one room only"""
    inside, inside_got = connect(live_server, "notice")
    outside, outside_got = connect(live_server, "notice", "echo")
    try:
        assert inside.call("join", "blue", timeout=5) == "joined", "join acknowledges"
        reply = requests.post(f"{live_server}/rooms/blue", data="hello", timeout=5)
        assert reply.text == "sent", "POST /rooms/<room> answers sent"
        assert inside_got.get(timeout=5) == ("notice", "hello"), "the room hears the notice"
        # one connection delivers in order: a notice sent to everyone would come before this echo
        outside.emit("echo", "after")
        assert outside_got.get(timeout=5) == ("echo", "after"), "a client outside the room hears nothing"
    finally:
        inside.disconnect()
        outside.disconnect()
