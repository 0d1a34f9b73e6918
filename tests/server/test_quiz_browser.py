"""The quiz page in a real browser, answered with the keyboard only: Tab, Space, Enter, arrows.

A real server (`grader serve`'s code, its own process) grades the answers; Chromium is driven by
Playwright. axe-core checks each page state for accessibility problems.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import LiveServer, live_server, register
from quiz_server_support import QUIZ_ROUTES, RIGHT

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 60_000
URL = "/challenges/quiz-routes/quiz"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("quiz-challenges")
    shutil.copytree(QUIZ_ROUTES, root / "quiz-routes")
    with live_server(root, backend="local") as running:
        yield running


@pytest.fixture
def page(browser, server: LiveServer):
    # The pages forbid inline scripts; axe is injected as one, so this context lets it in.
    context = browser.new_context(base_url=server.url, bypass_csp=True,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def accessibility_problems(page) -> list[str]:
    """axe-core's violations on the page as it stands (WCAG 2 A and AA rules)."""
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run scripts/setup.sh (npm install)", pytrace=False)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']});
        return result.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
    }""")
    return found


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName, id: e.id, type: e.type || '', text: (e.innerText || e.value || '').trim(),
                name: e.name || ''}; }""")


def tab_to(page, test: str, limit: int = 60) -> None:
    """Press Tab until the focused element satisfies the JS predicate `test` (given `e`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!({test}); }}"):
            return
    raise AssertionError(f"Tab never reached {test}; focus is on {focused(page)}")


def check_and_wait(page) -> None:
    """Tab to the form's button, press Enter, wait for the feedback of the answer."""
    tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('Check my answer')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#feedback$"))
    page.wait_for_selector("#feedback .verdict")


def verdict(page) -> str:
    return page.locator("#feedback .verdict").inner_text()


def next_question(page) -> None:
    tab_to(page, "e.tagName === 'A' && e.textContent.trim() === 'Next question'")
    # The page being left has the same form: wait for the next one to load, its scripts run
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("form#quiz-form")


def active_option(page, list_id: str) -> str:
    return page.evaluate(f"""() => {{ const l = document.getElementById('{list_id}');
        const a = l.getAttribute('aria-activedescendant');
        return a ? document.getElementById(a).querySelector('code').textContent : ''; }}""")


def test_a_learner_answers_one_question_at_a_time_with_the_keyboard(page):
    register(page, "kim")
    page.goto(f"{URL}?mode=one")
    assert accessibility_problems(page) == []

    # 1. A single-answer choice: arrows move between the radio buttons of the group.
    tab_to(page, "e.type === 'radio'")
    right = "It registers the function below as the view for the URL /."
    for _ in range(3):
        label = page.evaluate(
            "() => document.querySelector(`label[for='${document.activeElement.id}']`).innerText")
        if label == right:
            page.keyboard.press("Space")  # Tab only focuses the group's first radio button
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.checked")
    check_and_wait(page)
    assert verdict(page).startswith("✓ Correct")
    assert focused(page)["id"] == "feedback", "the feedback takes the focus"
    assert "Right: the decorator adds a URL rule" in page.locator("#feedback").inner_text()
    assert accessibility_problems(page) == []
    next_question(page)

    # 2. Several answers: Space ticks each right checkbox.
    for text in ("/hello/<name>", "/hello/<path:rest>"):
        tab_to(page, "e.type === 'checkbox' && document.querySelector("
                     f"`label[for='${{e.id}}']`).innerText === '{text}'")
        page.keyboard.press("Space")
    check_and_wait(page)
    assert verdict(page).startswith("✓ Correct")
    next_question(page)

    # 3. Order: the lines are picked from one list into the other, moved, and indented.
    assert page.locator("[data-order-grid]").is_hidden(), "the lists replace the table of selects"
    assert accessibility_problems(page) == []
    available, mine = "order-hello-view-available", "order-hello-view-program"
    tab_to(page, f"e.id === '{available}'")
    wanted = [line.strip() for line in RIGHT["hello-view"]]
    for line in (wanted[1], wanted[0], wanted[2]):  # the first two in the wrong order
        page.keyboard.press("Home")
        for _ in range(5):
            if active_option(page, available) == line:
                break
            page.keyboard.press("ArrowDown")
        assert active_option(page, available) == line
        page.keyboard.press("Enter")
    tab_to(page, f"e.id === '{mine}'")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")  # the decorator, second for now
    page.keyboard.press("Space")  # pick it up
    assert "Picked up" in page.locator("#order-hello-view-status").inner_text()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")  # and drop it first
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")  # indent the return line
    status = page.locator("#order-hello-view-status").inner_text()
    assert status.startswith("Indentation 1 for line 3"), status
    codes = page.locator(f"#{mine} .parsons-code").all_inner_texts()
    assert codes == [wanted[0], wanted[1], "    " + wanted[2]]
    check_and_wait(page)
    assert verdict(page).startswith("✓ Correct")
    next_question(page)

    # 4. Predict: type the status code, Enter sends the form.
    tab_to(page, "e.name === 'q.missing-route.status'")
    page.keyboard.type("404")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#feedback$"))
    assert verdict(page).startswith("✓ Correct")
    next_question(page)

    # 5. Fill: the blank is graded by running the completed snippet against its tests.
    tab_to(page, "e.name === 'q.dynamic-rule.blank.rule'")
    page.keyboard.type("<int:name>")
    check_and_wait(page)
    assert verdict(page).startswith("✗ Wrong")
    assert "the name should come from the URL" in page.locator("#feedback").inner_text()
    assert accessibility_problems(page) == []

    tab_to(page, "e.tagName === 'A' && e.textContent.trim() === 'See the whole attempt'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+$"))
    assert page.locator("#quiz-score").inner_text() == "9 / 12"
    assert accessibility_problems(page) == []


def test_all_questions_at_once_without_javascript(browser, server: LiveServer):
    """The plain form works with scripts off: the order question is a table of selects."""
    context = browser.new_context(base_url=server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        register(page, "noscript")
        page.goto(URL)
        assert page.locator("[data-order-grid]").is_visible()
        page.check("#q-route-decorator-0")
        page.check("#q-route-parts-0")
        page.check("#q-route-parts-1")
        shown = [t.split(". ", 1)[1] for t in
                 page.locator("#q-hello-view-line-0 option").all_inner_texts()[1:]]
        for place, line in enumerate(RIGHT["hello-view"]):
            page.select_option(f"#q-hello-view-line-{place}", str(shown.index(line.strip())))
            page.select_option(f"#q-hello-view-indent-{place}", str(line.count("    ")))
        page.fill("#q-missing-route-status", "404")
        page.fill("#q-dynamic-rule-blank-rule", "<name>")
        page.click("#quiz-form button[type=submit]")
        page.wait_for_url(re.compile(r"/quiz/attempts/\d+$"))
        while "Grading your answers" in page.content():  # no script to follow it: reload
            page.wait_for_timeout(500)
            page.reload()
        assert page.locator("#quiz-score").inner_text() == "12 / 12"
        assert page.locator(".verdict-correct").count() == 5
    finally:
        context.close()
