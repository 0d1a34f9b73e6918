"""Hidden tests: app.logger levels, messages and tracebacks."""

from __future__ import annotations

import re

import pytest


def logged(output: str, level: str, text: str) -> bool:
    """Is there a line with this level name followed by this text?"""
    return any(level in line and text in line.split(level, 1)[1] for line in output.splitlines())


@pytest.mark.points(15)
def test_failed_login_warning(client, learner_output):
    """A failed login is logged as a WARNING with the username"""
    r = client.post("/login", json={"username": "ann", "password": "wrong-guess-1"})
    assert r.status_code == 401, "A wrong password is still refused"
    assert logged(learner_output(), "WARNING", "failed login for ann"), (
        "Log failed logins through app.logger at warning level"
    )


@pytest.mark.points(15)
def test_password_never_logged(client, learner_output):
    """Passwords never reach the logs"""
    client.post("/login", json={"username": "bob", "password": "Tr0ub4dor&3"})
    client.post("/login", json={"username": "bob", "password": "hunter2"})
    output = learner_output()
    assert "failed login for bob" in output, "Log the failed attempt"
    assert "Tr0ub4dor&3" not in output and "hunter2" not in output, (
        "A secret was written to the logs"
    )


@pytest.mark.points(15)
def test_success_is_info(client, learner_output, learner):
    """A successful login is logged at INFO, which is the default level"""
    assert learner.eval("app.logger.level") == 20, "Set the logger's level (default INFO)"
    assert (
        client.post("/login", json={"username": "ann", "password": "secret-ann"}).status_code == 200
    ), "The right password still logs in"
    assert logged(learner_output(), "INFO", "user ann logged in"), (
        "The info message is missing: which level does app.logger use when you set none?"
    )


@pytest.mark.learner_env(LOG_LEVEL="warning")
@pytest.mark.points(10)
def test_level_from_environment(client, learner_output):
    """LOG_LEVEL=warning hides info messages but keeps warnings"""
    client.post("/login", json={"username": "ann", "password": "secret-ann"})
    client.post("/login", json={"username": "eve", "password": "x"})
    output = learner_output()
    assert "user ann logged in" not in output, "Read LOG_LEVEL from the environment (any case)"
    assert logged(output, "WARNING", "failed login for eve"), "Warnings should still be logged"


@pytest.mark.learner_env(LOG_LEVEL="DEBUG")
@pytest.mark.points(10)
def test_debug_message(client, learner_output):
    """At DEBUG level, /divide explains what it divides"""
    r = client.get("/divide", query_string={"a": "6", "b": "3"})
    assert r.get_json() == {"result": 2.0}, "6 / 3 is 2"
    assert logged(learner_output(), "DEBUG", "dividing"), "Log a debug message before dividing"


@pytest.mark.points(5)
def test_debug_hidden_by_default(client, learner_output):
    """At the default level, debug messages are hidden"""
    client.get("/divide", query_string={"a": "6", "b": "3"})
    assert "dividing" not in learner_output(), "Debug messages should not appear at INFO level"


@pytest.mark.points(20)
def test_error_with_traceback(client, learner_output):
    """Division by zero is logged as an ERROR with its traceback"""
    r = client.get("/divide", query_string={"a": "1", "b": "0"})
    assert r.status_code == 400 and r.get_json() == {"error": "b must not be zero"}, (
        "Handle the division by zero and answer 400"
    )
    output = learner_output()
    assert re.search(r"ERROR", output), "Log the failure at error level"
    assert "Traceback (most recent call last)" in output and "ZeroDivisionError" in output, (
        "The log should let a developer see where it failed"
    )


@pytest.mark.learner_env(LOG_LEVEL="LOUD")
@pytest.mark.points(10)
def test_unknown_level(client, learner_output):
    """An unknown LOG_LEVEL falls back to INFO with a warning"""
    assert (
        client.post("/login", json={"username": "ann", "password": "secret-ann"}).status_code == 200
    ), "A bad LOG_LEVEL must not stop the app"
    output = learner_output()
    assert logged(output, "WARNING", "LOUD"), "Warn about the value you could not use"
    assert "user ann logged in" in output, "Fall back to INFO"
