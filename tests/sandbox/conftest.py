"""Fixtures for the runner's tests: test-only challenges and a grading helper with checks."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from runner import GradeResult, grade, load_challenge

HERE = Path(__file__).parent
CHALLENGES = HERE / "challenges"


@pytest.fixture(scope="session")
def secret_echo():
    return load_challenge(CHALLENGES / "secret-echo")


@pytest.fixture(scope="session")
def hidden_inputs():
    return load_challenge(CHALLENGES / "hidden-inputs")


@pytest.fixture(scope="session")
def isolation_probe():
    return load_challenge(CHALLENGES / "isolation-probe")


def hidden_texts(challenge) -> list[str]:
    """Distinctive lines of the hidden tests that must never come back to a learner."""
    texts = []
    for path in challenge.tests_dir.glob("*.py"):
        for line in path.read_text().splitlines():
            line = line.strip()
            if len(line) > 24 and not line.startswith(('"""', "def test_", "assert ", "@pytest")):
                texts.append(line)
    return texts


@pytest.fixture
def graded(docker_engine) -> Callable[..., GradeResult]:
    """Grade in the real sandbox and check what every run must guarantee."""

    def run(challenge, files: dict[str, str | bytes], **kw) -> GradeResult:
        data = {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}
        start = time.monotonic()
        result = grade(challenge, data, backend="docker", **kw)
        elapsed = time.monotonic() - start
        assert elapsed < challenge.timeout_s + 35, f"grading took {elapsed:.1f} s"
        record = json.dumps(result.to_dict())
        for text in hidden_texts(challenge):
            assert text not in record, f"hidden test text leaked: {text!r}"
        assert len(record) < 64 * 1024, "the result record must stay small"
        return result

    return run
