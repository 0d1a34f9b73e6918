"""Points per test and the feedback text a learner may see."""

from __future__ import annotations

from .learner_process import LearnerProblem
from .responses import ResponseFormatError

MESSAGE_CAP = 2000


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` points across tests by weight; the parts sum exactly to `total`."""
    if not weights:
        return []
    weight_sum = sum(weights)
    if weight_sum <= 0:
        weights = [1.0] * len(weights)
        weight_sum = float(len(weights))
    exact = [total * w / weight_sum for w in weights]
    shares = [int(x) for x in exact]
    leftover = total - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[:leftover]:
        shares[i] += 1
    return shares


def _cap(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MESSAGE_CAP else text[: MESSAGE_CAP - 20] + "\n[... cut short]"


def failure_message(exc: BaseException, feedback: str) -> str:
    """The message for a failed test: hidden-test source never appears in it.

    `hints` shows the teacher's own message, or what the harness can say without repeating
    learner text or test inputs; `full` (and the teacher's `detail`) adds the failure's text.
    """
    full = feedback == "full"
    if isinstance(exc, (LearnerProblem, ResponseFormatError)):
        return _cap(exc.detail if full else exc.public)
    if isinstance(exc, AssertionError):
        text = str(exc)
        if full:
            return _cap(text) or "A check did not hold."
        if text.startswith("assert ") or not text:
            return "A check did not hold."
        custom = text.split("\nassert ", 1)[0]
        return _cap(custom)
    name = type(exc).__name__
    if name == "Failed":  # pytest.fail("...") from the teacher's test
        return _cap(str(exc)) or "The test failed."
    if full:
        return _cap(f"{name}: {exc}")
    return f"The test could not complete ({name}); check your app's response format."
