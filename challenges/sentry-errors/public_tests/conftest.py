"""A recording transport for Sentry: what the learner's app would send, kept in its process.

With a DSN the SDK hands every envelope to its transport's `capture_envelope`, which would post
it to Sentry. The recorder replaces that method on the learner's transport, as Sentry's own test
suite does, so nothing leaves the sandbox and each test reads the events back as plain data.
"""

from __future__ import annotations

import pytest

ACTIVE = "__import__('sentry_sdk').get_client().is_active()"
RECORD = (
    "setattr(__import__('sentry_sdk').get_client().transport, 'capture_envelope',"
    " app.extensions.setdefault('recorded_envelopes', []).append)"
)
READ = (
    "__import__('json').loads(__import__('json').dumps("
    "[e.get_event() for e in app.extensions.get('recorded_envelopes', [])"
    " if e.get_event() is not None], default=str))"
)


@pytest.fixture
def sentry_events(learner):
    """A function that returns the error events captured so far, as dictionaries."""
    assert learner.eval(ACTIVE), "With SENTRY_DSN set, create_app() should initialise the Sentry SDK"
    learner.eval(RECORD)
    return lambda: learner.eval(READ)
