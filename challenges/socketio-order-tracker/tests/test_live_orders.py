"""Hidden tests: authenticated Socket.IO clients on /orders, driven by the HTTP API."""

from __future__ import annotations

import queue
from contextlib import ExitStack

import pytest
import requests
import socketio

TOKENS = {"ann": "ann-token", "bob": "bob-token", "sam": "sam-token"}


class Tab:
    """One open browser tab: a Socket.IO client on /orders that records what it receives."""

    def __init__(self, url: str, token: str | None) -> None:
        self.client = socketio.Client(reconnection=False)
        self.inbox: queue.Queue = queue.Queue()
        self.client.on("*", lambda event, data: self.inbox.put((event, data)), namespace="/orders")
        # WebSocket only: long-polling is slower to set up and to close
        self.client.connect(url, namespaces=["/orders"], transports=["websocket"],
                            auth=None if token is None else {"token": token}, wait_timeout=5)

    def sync(self) -> None:
        """A round trip on this connection: what the server sent before it has arrived now."""
        self.client.call("orders", namespace="/orders", timeout=5)

    def next(self) -> tuple[str, object] | None:
        """The next event received, or None when none comes."""
        self.sync()
        try:
            return self.inbox.get(timeout=2)
        except queue.Empty:
            return None

    def heard_nothing(self) -> bool:
        """True when nothing has arrived, checked after a round trip on this connection."""
        self.sync()
        return self.inbox.empty()

    def close(self) -> None:
        self.client.disconnect()


def open_tabs(stack: ExitStack, url: str, *names: str) -> list[Tab]:
    tabs = []
    for name in names:
        try:
            tab = Tab(url, TOKENS[name])
        except socketio.exceptions.ConnectionError:
            raise AssertionError(
                "A client with a valid token could not connect to the /orders namespace"
            ) from None
        stack.callback(tab.close)
        tabs.append(tab)
    return tabs


def api(url: str, name: str, path: str, body: dict) -> requests.Response:
    return requests.post(f"{url}{path}", json=body, timeout=5,
                         headers={"Authorization": f"Bearer {TOKENS[name]}"})


def refused(url: str, auth_token: str | None) -> bool:
    try:
        Tab(url, auth_token).close()
    except socketio.exceptions.ConnectionError:
        return True
    return False


@pytest.mark.points(15)
def test_connections_need_a_token(live_server):
    """Only clients with a valid token may connect to /orders"""
    with ExitStack() as stack:
        open_tabs(stack, live_server, "ann")
    assert refused(live_server, None), "A client without a token must be refused"
    assert refused(live_server, "guess"), "A client with an unknown token must be refused"


@pytest.mark.points(10)
def test_events_live_in_a_namespace_class(learner):
    """The /orders events are handled by a Namespace class"""
    handlers = learner.eval(
        "{ns: [c.__name__ for c in type(h).__mro__] for ns, h in "
        "app.extensions['socketio'].server.namespace_handlers.items()}"
    )
    assert "/orders" in handlers, "Register the handlers for the /orders namespace"
    assert "Namespace" in handlers["/orders"], (
        "Group the /orders handlers in a class based on flask_socketio.Namespace"
    )


@pytest.mark.points(20)
def test_staff_hear_new_orders(live_server):
    """Staff hear every new order; customers do not hear other people's"""
    with ExitStack() as stack:
        sam, bob = open_tabs(stack, live_server, "sam", "bob")
        reply = api(live_server, "ann", "/orders", {"item": "teapot"})
        assert reply.status_code == 201, "Placing an order answers 201"
        order = {"id": 1, "owner": "ann", "item": "teapot", "status": "placed"}
        assert sam.next() == ("order.created", order), (
            "Staff connected to /orders should get order.created with the new order: "
            "which namespace and room does it go to?"
        )
        assert bob.heard_nothing(), "A customer must not hear about other people's orders"


@pytest.mark.points(30)
def test_owner_hears_status_changes_in_every_tab(live_server):
    """Status changes reach the owner in every open tab and staff, once each, and nobody else"""
    with ExitStack() as stack:
        ann_1, ann_2, bob, sam = open_tabs(stack, live_server, "ann", "ann", "bob", "sam")
        api(live_server, "ann", "/orders", {"item": "teapot"})
        assert sam.next() is not None, "Staff should hear about the new order"
        reply = api(live_server, "sam", "/orders/1/status", {"status": "shipped"})
        assert reply.status_code == 200, "Staff may change an order's status"
        change = ("order.status", {"id": 1, "status": "shipped"})
        assert ann_1.next() == change, "The owner should hear the status change"
        assert ann_2.next() == change, (
            "The owner's second tab missed the change: send to the person, not to one connection"
        )
        assert sam.next() == change, "Staff hear every status change"
        assert bob.heard_nothing(), "Nobody else may hear about ann's order"
        api(live_server, "sam", "/orders", {"item": "kettle"})
        assert sam.next() is not None, "Staff should hear about the new order"
        api(live_server, "sam", "/orders/2/status", {"status": "packed"})
        assert sam.next() == ("order.status", {"id": 2, "status": "packed"}), (
            "Staff should hear the status change of their own order"
        )
        assert sam.heard_nothing(), (
            "Staff who placed the order got the change twice: one emit to a list of rooms "
            "sends one copy per client"
        )


@pytest.mark.points(15)
def test_orders_event_lists_what_you_may_see(live_server):
    """The orders event answers with the caller's orders, or all of them for staff"""
    with ExitStack() as stack:
        ann, sam = open_tabs(stack, live_server, "ann", "sam")
        api(live_server, "ann", "/orders", {"item": "teapot"})
        api(live_server, "bob", "/orders", {"item": "mug"})
        mine = ann.client.call("orders", namespace="/orders", timeout=5)
        assert [o["item"] for o in mine] == ["teapot"], (
            "A customer's orders event answers with their own orders only: who is connected?"
        )
        everything = sam.client.call("orders", namespace="/orders", timeout=5)
        assert [o["item"] for o in everything] == ["teapot", "mug"], "Staff see every order"


@pytest.mark.points(10)
def test_http_rules_still_hold(client):
    """The HTTP API keeps its status codes"""
    assert client.post("/orders", json={"item": "teapot"}).status_code == 401, (
        "Placing an order needs a token"
    )
    ann = {"Authorization": "Bearer ann-token"}
    sam = {"Authorization": "Bearer sam-token"}
    assert client.post("/orders", json={"item": "teapot"}, headers=ann).status_code == 201, (
        "A customer with a token may place an order"
    )
    assert client.post("/orders/1/status", json={"status": "shipped"},
                       headers=ann).status_code == 403, "Only staff may change a status"
    assert client.post("/orders/9/status", json={"status": "shipped"},
                       headers=sam).status_code == 404, "An unknown order is 404"
    assert client.post("/orders/1/status", json={"status": "lost"},
                       headers=sam).status_code == 400, "An unknown status is 400"
