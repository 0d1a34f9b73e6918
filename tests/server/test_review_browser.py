"""Code review in a real browser: commenting on a line, the learner's live badge and reply, and
the similarity list and side-by-side view of two learners' code.

The real server runs in its own process (grading with the local backend: these tests are about
the review pages, not the sandbox); Chromium is driven by Playwright.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import browser_support
import pytest
from browser_support import LiveServer, live_server, register, set_editor
from similarity_support import HONEST, disguise, write_notes_challenge

pytestmark = pytest.mark.browser
SLUG = "notes-api"
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("challenges")
    write_notes_challenge(root)
    with live_server(root, backend="local") as running:
        yield running


def new_page(browser, server: LiveServer):
    return browser_support.new_page(browser, server, TIMEOUT_MS,
                                    viewport={"width": 1400, "height": 900})


def teacher_login(page, server: LiveServer) -> None:
    page.goto("/auth/login")
    page.fill("#username", "teacher")
    page.fill("#password", server.teacher_password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/challenges/$"))


def hand_in(page, text: str) -> int:
    page.goto(f"/challenges/{SLUG}")
    page.wait_for_selector(".CodeMirror")
    set_editor(page, text)
    page.click("#submit-form input[type=submit]")
    page.wait_for_url(re.compile(r"/submissions/\d+$"))
    page.wait_for_function("() => document.getElementById('submission').dataset.final === 'true'")
    return int(page.url.rsplit("/", 1)[1])


def test_a_comment_on_a_line_reaches_the_learner_live_and_the_reply_comes_back(
        browser, server: LiveServer) -> None:
    learner_context, learner = new_page(browser, server)
    register(learner, "rita")
    submission = hand_in(learner, HONEST["honest_inline"])
    learner.goto("/challenges/")
    badge = learner.locator("#review-badge")
    assert badge.is_hidden()
    loaded = learner.evaluate("window.__pageLoadId")
    learner.wait_for_function("() => document.documentElement.dataset.live === 'connected'")

    staff_context, staff = new_page(browser, server)
    teacher_login(staff, server)
    staff.goto(f"/submissions/{submission}")
    staff.wait_for_function("() => document.documentElement.dataset.live === 'connected'")
    staff.click("tr[data-line='12'] button.line-button")
    form = staff.locator("tr.comment-form-row form.line-comment-form")
    assert form.locator("input[name=line]").input_value() == "12"
    form.locator("textarea").fill("Why sort here and not when storing?")
    form.locator("button[type=submit]").click()
    staff.wait_for_url(re.compile(r"#comment-\d+$"))
    thread = staff.locator(".thread[data-line='12']")
    assert "Why sort here and not when storing?" in thread.inner_text()

    # the learner's other page shows the badge without a reload, then the comment under line 12
    learner.wait_for_function("() => document.getElementById('review-badge').dataset.count === '1'")
    assert badge.is_visible() and learner.evaluate("window.__pageLoadId") == loaded
    learner.click("#review-badge")
    learner.goto(f"/submissions/{submission}")
    mine = learner.locator(".thread[data-line='12']")
    assert "Why sort here" in mine.inner_text() and mine.locator(".badge-new").count() == 1
    assert learner.locator("#review-badge").is_hidden()  # read by opening the page
    learner.wait_for_function("() => document.documentElement.dataset.live === 'connected'")
    mine.locator("textarea[name=body]").fill("The ids are not in order after a delete.")
    mine.locator("button[type=submit]").click()
    learner.wait_for_url(re.compile(r"#comment-\d+$"))

    # the teacher's open page receives the reply in the same thread, live
    staff.wait_for_function(
        "() => document.querySelector(\".thread[data-line='12']\").textContent"
        ".includes('not in order after a delete')")
    assert staff.locator(".thread[data-line='12'] article.comment").count() == 2
    learner_context.close()
    staff_context.close()


def test_the_teacher_sees_copies_side_by_side_with_the_matches_marked(
        browser, server: LiveServer) -> None:
    for name, text in (("sam", HONEST["honest_methodview"]),
                       ("tom", disguise(HONEST["honest_methodview"], seed=11)),
                       ("uma", HONEST["honest_dataclass"])):
        context, page = new_page(browser, server)
        register(page, name)
        hand_in(page, text)
        context.close()

    context, page = new_page(browser, server)
    teacher_login(page, server)
    page.goto(f"/teach/challenges/{SLUG}")
    page.click("text=Similarity")
    # the progress (if it is still computing) turns into the list by itself
    page.wait_for_selector("#similarity-pairs")
    rows = page.locator("#similarity-pairs tbody tr")
    first = rows.first.inner_text()
    assert "sam · tom" in first and re.search(r"\b(8[5-9]|9\d|100)%", first)
    page.select_option("#threshold", "0.0")
    page.wait_for_url(re.compile(r"threshold=0"))
    assert page.locator("#similarity-pairs tbody tr").count() >= rows.count()
    page.locator("#similarity-pairs tbody tr").first.locator("text=Side by side").click()
    page.wait_for_url(re.compile(r"/similarity/\d+/\d+$"))
    left, right = page.locator("#side-a tr.matched"), page.locator("#side-b tr.matched")
    assert left.count() > 40 and right.count() > 40
    assert "NotesAPI" in page.locator("#side-a").inner_text()
    # hovering a matched line lights the same match on both sides
    line = page.locator("#side-a tr.matched").nth(10)
    match = line.get_attribute("data-matches").split()[0]
    line.hover()
    lit_right = page.locator("#side-b tr.lit")
    lit_right.first.wait_for()
    assert all(match in row.get_attribute("data-matches").split()
               for row in lit_right.all())
    context.close()
