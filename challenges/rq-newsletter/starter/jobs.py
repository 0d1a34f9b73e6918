"""Sending mail. The outbox is a Redis list: a stand-in for a mail server."""

from __future__ import annotations

import json

from redis import Redis


def deliver(connection: Redis, subject: str, address: str) -> None:
    """Send one message; ValueError for an address that cannot receive mail."""
    if "@" not in address:
        raise ValueError(f"bad address: {address}")
    connection.rpush("outbox", json.dumps({"to": address, "subject": subject}))
