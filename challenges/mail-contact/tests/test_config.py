"""Hidden tests: Flask-Mail is bound in the factory and configured from the environment."""

from __future__ import annotations

import pytest

STATE = "app.extensions.get('mail')"


def settings(learner) -> dict:
    return learner.eval(
        f"None if {STATE} is None else {{k: getattr({STATE}, k) for k in ('server', 'port',"
        " 'use_tls', 'username', 'password', 'default_sender', 'suppress')}"
    )


@pytest.mark.points(10)
def test_defaults(learner):
    """Without environment variables the app uses the documented defaults"""
    found = settings(learner)
    assert found is not None, "Bind Flask-Mail to the app in create_app() with init_app"
    assert (found["server"], found["port"], found["use_tls"]) == ("localhost", 587, True), (
        "Check the default server, port (a number) and TLS setting"
    )
    assert found["default_sender"] == "Bakery <noreply@bakery.example>", (
        "Messages need a default sender, set before Flask-Mail is bound"
    )
    assert found["suppress"] is False, (
        "In production mail must really leave: suppress sending only when asked to"
    )


@pytest.mark.learner_env(MAIL_SERVER="smtp.example.org", MAIL_PORT="2525", MAIL_USE_TLS="false",
                         MAIL_USERNAME="bakery", MAIL_PASSWORD="s3cret-pass",
                         MAIL_DEFAULT_SENDER="Shop <shop@example.org>", MAIL_SUPPRESS_SEND="1")
@pytest.mark.points(10)
def test_settings_from_environment(learner):
    """Every mail setting comes from the environment when it is set"""
    found = settings(learner)
    assert found is not None, "Bind Flask-Mail to the app in create_app() with init_app"
    assert found == {"server": "smtp.example.org", "port": 2525, "use_tls": False,
                     "username": "bakery", "password": "s3cret-pass",
                     "default_sender": "Shop <shop@example.org>", "suppress": True}, (
        "Read each MAIL_* setting from its environment variable before binding Flask-Mail"
    )
