"""Hidden tests: real Socket.IO clients talk to the app served by live_server."""

from __future__ import annotations

import queue
from contextlib import contextmanager

import pytest
import requests
import socketio


class Person:
    """A Socket.IO client that records every event it receives, in order."""

    def __init__(self, url: str) -> None:
        self.client = socketio.Client(reconnection=False)
        self.inbox: queue.Queue = queue.Queue()
        self.client.on("*", lambda event, data: self.inbox.put((event, data)))
        try:
            # WebSocket only: long-polling is slower to set up and to close
            self.client.connect(url, transports=["websocket"], wait_timeout=5)
        except socketio.exceptions.ConnectionError:
            raise AssertionError(
                "A Socket.IO client could not connect: is Flask-SocketIO bound to the app?"
            ) from None

    def call(self, event: str, data: object) -> object:
        return self.client.call(event, data, timeout=5)

    def next(self) -> tuple[str, object]:
        try:
            return self.inbox.get(timeout=5)
        except queue.Empty:
            raise AssertionError("no event arrived") from None

    def received_nothing_else(self, room: str) -> bool:
        """True when nothing is waiting: a message of our own must be the next thing to arrive.

        One connection delivers in order, so anything the server sent us before this message
        would arrive first.
        """
        ack = self.call("message", {"room": room, "text": "check"})
        assert ack == {"ok": True}, "A member's message should be acknowledged with {'ok': True}"
        return self.next()[0] == "message" and self.inbox.empty()

    def close(self) -> None:
        self.client.disconnect()


@contextmanager
def people(url: str, count: int):
    crowd = [Person(url) for _ in range(count)]
    try:
        yield crowd
    finally:
        for person in crowd:
            person.close()


def join(person: Person, room: str, name: str) -> None:
    ack = person.call("join", {"room": room, "name": name})
    assert ack == {"ok": True, "room": room}, "join should be acknowledged with ok and the room"
    assert person.next() == ("status", {"room": room, "text": f"{name} joined"}), (
        "Someone who joins hears their own arrival, and nothing from rooms they are not in"
    )


@pytest.mark.points(10)
def test_socketio_is_bound(learner):
    """The factory binds Flask-SocketIO to the app"""
    assert learner.eval("'socketio' in app.extensions"), (
        "Create SocketIO() at module level and bind it in the factory with init_app(app)"
    )


@pytest.mark.points(25)
def test_join_announces_the_newcomer(live_server):
    """Joining a room is acknowledged and announced to the room; a bad join is refused"""
    with people(live_server, 2) as (ann, bob):
        for data in ({"room": "kitchen"}, {"room": " ", "name": "ann"},
                     {"room": "kitchen", "name": "x" * 33}, "kitchen"):
            ack = ann.call("join", data)
            assert isinstance(ack, dict) and ack.get("ok") is False and ack.get("error"), (
                "Answer a join without a proper room and name with {'ok': False, 'error': ...}"
            )
        assert ann.inbox.empty(), "A refused join announces nothing"
        join(ann, "kitchen", "ann")
        ack = bob.call("join", {"room": "kitchen", "name": "bob"})
        assert ack == {"ok": True, "room": "kitchen"}, "join should be acknowledged"
        assert ann.next() == ("status", {"room": "kitchen", "text": "bob joined"}), (
            "Everyone in the room hears who joined"
        )


@pytest.mark.points(25)
def test_messages_reach_the_room_only(live_server):
    """Messages reach everyone in the room, with the sender's own name, and nobody else"""
    with people(live_server, 3) as (ann, bob, cy):
        join(ann, "kitchen", "ann")
        join(bob, "kitchen", "bob")
        assert ann.next()[0] == "status", "ann hears bob join"
        join(cy, "garden", "cy")
        assert ann.call("message", {"room": "kitchen", "text": "hi"}) == {"ok": True}, (
            "A message from a member is acknowledged with {'ok': True}"
        )
        assert bob.call("message", {"room": "kitchen", "text": "yo"}) == {"ok": True}, (
            "Every member may talk in the room"
        )
        expected = [("message", {"room": "kitchen", "name": "ann", "text": "hi"}),
                    ("message", {"room": "kitchen", "name": "bob", "text": "yo"})]
        heard = [ann.next(), ann.next()]
        assert heard[0][1].get("name") == "ann" and heard[1][1].get("name") == "bob", (
            "Each message carries its own sender's name: where is each person's name kept?"
        )
        assert heard == expected, "Everyone in the room gets each message, the sender too"
        assert [bob.next(), bob.next()] == expected, "Everyone in the room gets each message"
        assert cy.received_nothing_else("garden"), (
            "Someone in another room received the kitchen's messages: send to the room only"
        )


@pytest.mark.points(15)
def test_only_members_can_talk(live_server):
    """Someone who has not joined a room cannot post in it"""
    with people(live_server, 2) as (ann, eve):
        join(ann, "kitchen", "ann")
        join(eve, "garden", "eve")
        ack = eve.call("message", {"room": "kitchen", "text": "spam"})
        assert isinstance(ack, dict) and ack.get("ok") is False and ack.get("error"), (
            "Refuse a message to a room the sender is not in"
        )
        assert ann.received_nothing_else("kitchen"), "The room must not get an outsider's message"


@pytest.mark.points(10)
def test_leaving_a_room(live_server):
    """Leaving is announced, and someone who left hears the room no more"""
    with people(live_server, 2) as (ann, bob):
        join(ann, "kitchen", "ann")
        join(bob, "kitchen", "bob")
        ann.next()
        assert ann.call("leave", {"room": "kitchen"}) == {"ok": True}, (
            "leave should be acknowledged with {'ok': True}"
        )
        assert bob.next() == ("status", {"room": "kitchen", "text": "ann left"}), (
            "The room hears who left"
        )
        assert bob.call("message", {"room": "kitchen", "text": "bye"}) == {"ok": True}, (
            "Someone still in the room may talk"
        )
        assert bob.next()[0] == "message", "The room, sender included, gets the message"
        join(ann, "garden", "ann")
        assert ann.received_nothing_else("garden"), "Someone who left still hears the room"


@pytest.mark.points(15)
def test_http_announcement_reaches_the_room(live_server):
    """An announcement posted over HTTP reaches the room, and only the room"""
    with people(live_server, 2) as (ann, cy):
        join(ann, "kitchen", "ann")
        join(cy, "garden", "cy")
        reply = requests.post(f"{live_server}/rooms/kitchen/announcements",
                              json={"text": "dinner is ready"}, timeout=5)
        assert reply.status_code == 200, (
            "POST /rooms/<room>/announcements should succeed: how does a plain view emit?"
        )
        assert reply.json() == {"room": "kitchen", "text": "dinner is ready"}, (
            "Answer with the room and the text of the announcement"
        )
        assert ann.next() == ("announcement", {"room": "kitchen", "text": "dinner is ready"}), (
            "The room gets the announcement"
        )
        assert cy.received_nothing_else("garden"), "Only the room named in the URL gets it"
        bad = requests.post(f"{live_server}/rooms/kitchen/announcements", json={"text": ""},
                            timeout=5)
        assert bad.status_code == 400, "An empty announcement is refused"
