"""The outbox: every message the learner's app hands to Flask-Mail during one test.

Flask-Mail sends the `email_dispatched` signal for each message, also when sending is
suppressed; `mail.record_messages()` listens to the same signal. The listener is installed in
the learner's process, so the test reads the messages back as plain data.
"""

from __future__ import annotations

import pytest

LISTEN = (
    "[__import__('flask_mail').email_dispatched.connect("
    "lambda sender, message: app.extensions.setdefault('test_outbox', []).append(message),"
    " weak=False), None][1]"
)
READ = (
    "[{'subject': m.subject, 'sender': m.sender and str(m.sender),"
    " 'recipients': [str(r) for r in m.recipients],"
    " 'reply_to': m.reply_to and str(m.reply_to), 'body': m.body, 'html': m.html}"
    " for m in app.extensions.get('test_outbox', [])]"
)


@pytest.fixture
def outbox(learner):
    """A function that returns the messages sent so far, as dictionaries."""
    learner.eval(LISTEN)
    return lambda: learner.eval(READ)
