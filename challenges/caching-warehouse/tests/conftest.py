"""The warehouse's call counter, read in the learner's process: a miss runs the lookup, a hit does not."""

from __future__ import annotations

import pytest

CALLS = "dict(__import__('warehouse').CALLS)"


@pytest.fixture
def calls(learner):
    """How many times each warehouse lookup has really run so far."""
    return lambda name: learner.eval(CALLS).get(name, 0)
