"""Project-wide fixtures: real components, started by the tests themselves."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# tests/ for `components`; the project root before it, so this checkout's packages win
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import components  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHALLENGES = ROOT / "challenges"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with components.redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with components.postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return components.chromium_executable()


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[object]:
    """Debian's Chromium driven by Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path,
                                              args=components.CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def docker_engine() -> str:
    """The runner image name, once the engine answers and the image exists."""
    from runner import engine_status

    ok, message = engine_status()
    if not ok:
        components.missing("Docker", message)
    return os.environ.get("GRADER_RUNNER_IMAGE", "flask-grader-runner:latest")
