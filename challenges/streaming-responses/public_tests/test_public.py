"""Public tests: run them with `grader test`."""

from __future__ import annotations

import requests


def test_countdown_text(client):
    """The countdown counts down to liftoff"""
    r = client.get("/countdown?start=3")
    assert r.status_code == 200
    assert r.text == "3\n2\n1\nliftoff\n"


def test_countdown_is_streamed(live_server):
    """The countdown is sent in chunks, without a Content-Length"""
    with requests.get(f"{live_server}/countdown?start=3", stream=True, timeout=10) as r:
        assert r.headers.get("Transfer-Encoding") == "chunked"
        assert "Content-Length" not in r.headers
