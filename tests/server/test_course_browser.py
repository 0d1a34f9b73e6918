"""Course pages in a real browser: the assignment editor, the learner's course page with its
countdown and credited score, and the sortable gradebook with an extension.

The server runs in its own process; it grades with the local backend (the sandbox is not what
these pages are about), so only Chromium is needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import browser_support
import pytest
import requests
from browser_support import (
    PARTIAL,
    SLUG,
    SOLUTION,
    LiveServer,
    live_server,
    register,
    set_editor,
    write_challenge,
)

pytestmark = pytest.mark.browser
TOKYO = ZoneInfo("Asia/Tokyo")  # UTC+9 all year: no daylight saving to reason about
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("course-challenges")
    write_challenge(root)
    with live_server(root, backend="local") as running:
        yield running


def new_page(browser, server: LiveServer):
    return browser_support.new_page(browser, server, TIMEOUT_MS, locale="en-US",
                                    timezone_id="UTC")


def sign_in(page, username: str, password: str) -> None:
    page.goto("/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/challenges/$"))


def token(server: LiveServer, username: str, password: str) -> dict[str, str]:
    answer = requests.post(f"{server.url}/api/v1/tokens", timeout=10,
                           json={"username": username, "password": password})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def tokyo_input(moment: datetime) -> str:
    """What a teacher types in a datetime-local field of a course in Tokyo."""
    return moment.astimezone(TOKYO).strftime("%Y-%m-%dT%H:%M")


def create_course(page, slug: str) -> str:
    """Create a course from the courses page; returns its join code."""
    page.goto("/courses/")
    page.fill("#slug", slug)
    page.fill("#title", f"Course {slug}")
    page.select_option("#time_zone", "Asia/Tokyo")
    page.click("#course-form input[type=submit]")
    page.wait_for_url(re.compile(rf"/courses/{slug}$"))
    return page.locator("#code").inner_text().strip()


def place_assignment(page, slug: str, due: datetime, closes: datetime | None = None) -> None:
    """Fill in the assignment editor: opened yesterday, due at `due`, a two-step timeline."""
    page.goto(f"/courses/{slug}/assignments")
    page.select_option("#challenge", SLUG)
    page.fill("#opens_at", tokyo_input(datetime.now(UTC) - timedelta(days=1)))
    page.fill("#due_at", tokyo_input(due))
    if closes is not None:
        page.fill("#closes_at", tokyo_input(closes))
    page.fill("#late_policy-0-until_hours", "24")
    page.fill("#late_policy-0-credit", "80")
    page.fill("#late_policy-1-until_hours", "72")
    page.fill("#late_policy-1-credit", "50")
    page.click("#assignment-form input[type=submit]")
    page.wait_for_url(re.compile(rf"/courses/{slug}/assignments$"))


def test_the_editor_then_the_learners_course_page_countdown_and_credit(browser, server):
    teacher_context, teacher = new_page(browser, server)
    sign_in(teacher, "teacher", server.teacher_password)
    code = create_course(teacher, "tokyo-a")
    due = (datetime.now(UTC) + timedelta(days=2, hours=3)).replace(second=0, microsecond=0)
    place_assignment(teacher, "tokyo-a", due)
    row = teacher.locator(f'#assignments tr[data-challenge="{SLUG}"]')
    # Shown in the course's zone, as it was typed.
    assert f"{due.astimezone(TOKYO):%a %d %b %Y, %H:%M} JST" in row.locator(".due").inner_text()
    assert row.locator(".late-policy").inner_text() == "80% up to 24 h, 50% up to 72 h"
    # Editing an assignment fills the form with its times in the course's zone.
    row.locator("text=Edit").click()
    assert teacher.input_value("#due_at") == tokyo_input(due)

    learner_context, learner = new_page(browser, server)
    register(learner, "kenji")
    learner.goto(f"/courses/join?code={code}")
    learner.click("#join-form input[type=submit]")
    learner.wait_for_url(re.compile(r"/courses/tokyo-a$"))
    upcoming = learner.locator(f'#upcoming-assignments tr[data-challenge="{SLUG}"]')
    countdown = upcoming.locator(".countdown")
    countdown.wait_for()
    assert re.fullmatch(r"due in (2|3) days", countdown.inner_text()), countdown.inner_text()
    assert "not handed in" in upcoming.locator(".my-score").inner_text()

    upcoming.locator("a").first.click()
    learner.wait_for_url(re.compile(rf"/challenges/{SLUG}\?course=tokyo-a$"))
    banner = learner.locator("#assignment")
    assert "Assignment of Course tokyo-a" in banner.inner_text()
    assert f"{due.astimezone(TOKYO):%H:%M} JST" in banner.locator("#assignment-due").inner_text()
    learner.wait_for_selector(".CodeMirror")
    set_editor(learner, PARTIAL)
    learner.click("#submit-form input[type=submit]")
    learner.wait_for_url(re.compile(r"/submissions/\d+$"))
    learner.wait_for_function(
        "() => document.getElementById('submission').dataset.final === 'true'")
    credit = learner.locator("#credit-line")
    credit.wait_for()
    assert credit.inner_text() == "graded 60/100, 100% credit: 60"

    learner.goto("/courses/tokyo-a")
    assert "60 / 100" in learner.locator(
        f'#upcoming-assignments tr[data-challenge="{SLUG}"] .my-score').inner_text()
    teacher_context.close()
    learner_context.close()


def test_the_gradebook_sorts_and_grants_an_extension(browser, server):
    teacher_context, teacher = new_page(browser, server)
    sign_in(teacher, "teacher", server.teacher_password)
    code = create_course(teacher, "tokyo-b")
    # Due an hour ago: what is handed in now is late (80 %).
    place_assignment(teacher, "tokyo-b", datetime.now(UTC) - timedelta(hours=1))
    staff = token(server, "teacher", server.teacher_password)
    for name, content in (("aiko", PARTIAL), ("ben", SOLUTION), ("chie", None)):
        learner_context, learner = new_page(browser, server)
        register(learner, name)
        learner_context.close()
        headers = token(server, name, "browser-pass-1")
        assert requests.post(f"{server.url}/api/v1/courses/join", headers=headers, timeout=10,
                             json={"code": code}).status_code == 200
        if content is not None:
            sent = requests.post(f"{server.url}/api/v1/submissions", headers=headers, timeout=30,
                                 data={"challenge": SLUG, "course": "tokyo-b"},
                                 files={"app.py": ("app.py", content.encode())})
            assert sent.status_code == 202, sent.text
            assert sent.json()["credit"] == 80
    teacher.goto("/courses/tokyo-b/gradebook")
    # Wait until both gradings are in (the page is reloaded until they are).
    for _ in range(60):
        book = requests.get(f"{server.url}/api/v1/courses/tokyo-b/gradebook", headers=staff,
                            timeout=10).json()
        if all(r["cells"][0]["state"] != "pending" for r in book["rows"]):
            break
        teacher.wait_for_timeout(500)
    teacher.reload()

    def users() -> list[str]:
        return teacher.locator("#gradebook tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.user)")

    assert users() == ["aiko", "ben", "chie"]
    # chie has nothing (0), aiko 60 at 80 % (48), ben 100 at 80 % (80)
    totals = teacher.locator("#gradebook thead th", has_text="Total")
    totals.click()
    assert users() == ["chie", "aiko", "ben"]
    totals.click()
    assert users() == ["ben", "aiko", "chie"]  # a second click turns the order round
    cell = teacher.locator(f'#gradebook tr[data-user="ben"] td[data-challenge="{SLUG}"]')
    assert cell.inner_text().startswith("80") and "late, 80%" in cell.inner_text()
    assert "missing" in teacher.locator(
        f'#gradebook tr[data-user="chie"] td[data-challenge="{SLUG}"]').inner_text()

    later = datetime.now(UTC) + timedelta(days=3)
    teacher.select_option("#username", "chie")
    teacher.select_option("#extension-form #challenge", SLUG)
    teacher.fill("#extension-form #due_at", tokyo_input(later))
    teacher.click("#extension-form input[type=submit]")
    teacher.wait_for_url(re.compile(r"/courses/tokyo-b/gradebook$"))
    note = teacher.locator(f'#gradebook tr[data-user="chie"] td[data-challenge="{SLUG}"]')
    assert f"extended to {later.astimezone(TOKYO):%a %d %b %Y, %H:%M} JST" in note.inner_text()
    assert "missing" not in note.inner_text()
    teacher_context.close()
