"""Hidden tests: guessing passwords is limited, logging in is not."""

from __future__ import annotations

import pytest

ANN = {"X-Forwarded-For": "203.0.113.9"}
RIGHT = {"user": "ann", "password": "correct horse"}
WRONG = {"user": "ann", "password": "guess"}


@pytest.mark.points(10)
def test_failed_logins_are_limited(client):
    """After three failed logins in a minute, even the right password must wait"""
    codes = [client.post("/login", json=WRONG, headers=ANN).status_code for _ in range(3)]
    assert codes == [401] * 3, "Wrong passwords are refused with 401"
    assert client.post("/login", json=WRONG, headers=ANN).status_code == 429, (
        "A fourth guess within the minute is Too Many Requests"
    )
    assert client.post("/login", json=RIGHT, headers=ANN).status_code == 429, (
        "Once limited, no attempt is checked, not even a right one"
    )
    other = client.post("/login", json=RIGHT, headers={"X-Forwarded-For": "198.51.100.4"})
    assert other.status_code == 200, "Another client is not affected"


@pytest.mark.points(10)
def test_successful_logins_do_not_count(client):
    """Logging in successfully does not use up the login limit"""
    codes = [client.post("/login", json=RIGHT, headers=ANN).status_code for _ in range(5)]
    assert codes == [200] * 5, "Only failed attempts should count against the login limit"
    assert client.post("/login", json=WRONG, headers=ANN).status_code == 401, (
        "After successful logins, a wrong password is still just a 401"
    )
