"""A full LTI 1.3 launch in a real browser: the LMS's course page frames the tool, the learner
is signed in inside the frame, submits from there, and the score reaches the LMS.

The platform runs on `localhost` and the tool on `127.0.0.1`, so the frame is cross-site, as it
is in an LMS: the launch works only with the tool's `SameSite=None; Secure` cookies and its
frame-ancestors policy naming the platform.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from browser_support import (
    ROOT,
    SLUG,
    SOLUTION,
    LiveServer,
    live_server,
    set_editor,
    write_challenge,
)
from components import CHROMIUM_ARGS
from lti_platform import Person, Platform
from lti_support import wait_for

pytestmark = pytest.mark.browser
TIMEOUT_MS = 60_000
LEARNER = Person("lms-user-lea", "Lea Marchetti", "lea@school.test")
FRAMED = Person("lms-user-fei", "Fei Long", "fei@school.test")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("lti-challenges")
    write_challenge(root)
    with live_server(root, backend="local") as running:
        yield running


@pytest.fixture(scope="module")
def lms(server: LiveServer) -> Iterator[Platform]:
    """The platform, registered with the running server by the `lti register` command."""
    platform = Platform(host="localhost").start()
    platform.tool_launch_url = server.url + "/lti/launch"
    platform.tool_jwks_url = server.url + "/lti/jwks"
    env = {**os.environ, "GRADER_INSTANCE_PATH": str(server.instance),
           "GRADER_SECRET_KEY": "browser-tests-secret-key-0123456789"}
    env.pop("GRADER_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "grader",
                           *platform.register_args()], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    yield platform
    platform.stop()


@pytest.fixture(scope="module")
def playwright() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright, chromium_path: str) -> Iterator[object]:
    launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def permissive_context(playwright, chromium_path: str, tmp_path: Path) -> Iterator[object]:
    """A browser profile that lets cross-site frames keep cookies (the user allowed them)."""
    (tmp_path / "Default").mkdir()
    (tmp_path / "Default" / "Preferences").write_text(json.dumps(
        {"profile": {"cookie_controls_mode": 0, "block_third_party_cookies": False}}))
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path), executable_path=chromium_path, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id="UTC")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


def tool_frame(page, path: str):
    """The tool's frame inside the LMS page, once it shows `path`."""
    def found():
        return next((f for f in page.frames if f is not page.main_frame
                     and re.search(path, f.url)), None)
    return wait_for(found, timeout=TIMEOUT_MS / 1000, what=f"the tool's frame at {path}")


def submit_solution(view) -> None:
    """Submit the solution from the challenge page (a page or a frame) and wait for its grade."""
    view.wait_for_selector(".CodeMirror")
    set_editor(view, SOLUTION)
    view.click("#submit-form input[type=submit]")
    view.wait_for_url(re.compile(r"/submissions/\d+$"))
    view.wait_for_function(
        "() => document.getElementById('submission').dataset.final === 'true'")
    view.wait_for_function(  # the live page writes the credit line once the grade is in
        "() => /graded/.test((document.getElementById('credit-line') || {}).textContent || '')")
    assert view.locator("#credit-line").inner_text() == "graded 100/100, 100% credit: 100"


def test_a_launch_from_the_lms_frame_without_third_party_cookies_goes_on_in_a_new_window(
        server, lms, browser):
    # This Chromium keeps cookies from cross-site frames, as more and more browsers do: the
    # login in the LMS's frame cannot keep its state cookie and offers a new window instead.
    login = server.url + "/lti/login?" + urlencode(lms.launch(LEARNER, custom={"challenge": SLUG}))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US",
                                  timezone_id="UTC")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    blocked_frames: list[str] = []
    page.on("console", lambda m: blocked_frames.append(m.text)
            if "frame-ancestors" in m.text else None)
    page.goto(f"{lms.issuer}/course?" + urlencode({"tool": login}))
    assert page.title() == "Flask course"

    frame = tool_frame(page, r"/lti/login\?")
    offer = frame.locator("#lti-new-window")
    offer.wait_for()  # the tool's page shows inside the LMS's frame: framing is allowed
    assert blocked_frames == []
    assert "Open the tool in a new window" in frame.locator("#lti-blocked").inner_text()
    with context.expect_page() as opened:
        offer.click()
    window = opened.value
    window.wait_for_url(re.compile(rf"/challenges/{SLUG}\?course=lti-1-flask-101$"))
    assert "Assignment of Flask course flask-101" in window.locator("#assignment").inner_text()
    assert "lea.marchetti" in window.content()  # signed in as the LMS's person
    session = next(c for c in context.cookies(server.url) if c["name"] == "session")
    assert session["sameSite"] == "None" and session["secure"]

    submit_solution(window)
    scores = wait_for(lambda: lms.scores_for("link-1"), timeout=60, what="the score at the LMS")
    assert [(s["scoreGiven"], s["scoreMaximum"], s["userId"]) for s in scores] == [
        (100, 100, LEARNER.subject)]
    context.close()


def test_a_launch_inside_the_lms_frame_signs_in_there_and_the_score_goes_back(
        server, lms, permissive_context):
    params = lms.launch(FRAMED, resource_link="link-2", custom={"challenge": SLUG})
    login = server.url + "/lti/login?" + urlencode(params)
    # A persistent profile opens with one blank page: the LMS's course page goes there.
    page = permissive_context.pages[0] if permissive_context.pages else \
        permissive_context.new_page()
    blocked_frames: list[str] = []
    page.on("console", lambda m: blocked_frames.append(m.text)
            if "frame-ancestors" in m.text else None)
    page.goto(f"{lms.issuer}/course?" + urlencode({"tool": login}))

    frame = tool_frame(page, rf"/challenges/{SLUG}\?course=lti-1-flask-101$")
    frame.wait_for_selector("#assignment")
    assert "Assignment of Flask course flask-101" in frame.locator("#assignment").inner_text()
    assert "fei.long" in frame.content()
    assert len(page.context.pages) == 1  # no new window was needed
    assert blocked_frames == []
    session = next(c for c in permissive_context.cookies(server.url) if c["name"] == "session")
    assert session["sameSite"] == "None" and session["secure"]

    submit_solution(frame)
    # Both links place the same challenge in the same course: the learner of the first test
    # may get a score on this line item too. Fei's own score is the one this launch sends.
    scores = wait_for(lambda: [s for s in lms.scores_for("link-2")
                               if s["userId"] == FRAMED.subject],
                      timeout=60, what="the score at the LMS")
    assert [(s["scoreGiven"], s["userId"]) for s in scores] == [(100, FRAMED.subject)]
