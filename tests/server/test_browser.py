"""End to end in a real browser: a learner submits, results stream in, the leaderboard follows.

The real server runs in its own process, grading in Docker with the runner image; Chromium is
driven by Playwright.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import (
    PARTIAL,
    SLUG,
    SOLUTION,
    LiveServer,
    live_server,
    new_page,
    register,
    set_editor,
    write_challenge,
)

pytestmark = [pytest.mark.browser, pytest.mark.docker]

# The learner's home route takes a moment, so the page is surely connected before the first
# result: what the test sees arriving was pushed by the server, not read at page load.
SLOW_PARTIAL = PARTIAL.replace('    return "Hello!"', '    import time\n    time.sleep(3)\n'
                               '    return "Hello!"')
TIMEOUT_MS = 60_000
REGRADE_SLUG = "greeting-routes-again"  # its own challenge, so a regrade only waits for its own


@pytest.fixture(scope="module")
def server(docker_engine: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("challenges")
    write_challenge(root)
    write_challenge(root, slug=REGRADE_SLUG, title="Greeting routes, again")
    with live_server(root, backend="docker") as running:
        yield running


def submit_from_editor(page, text: str, slug: str = SLUG) -> int:
    page.goto(f"/challenges/{slug}")
    page.wait_for_selector(".CodeMirror")
    set_editor(page, text)
    page.click("#submit-form input[type=submit]")
    page.wait_for_url(re.compile(r"/submissions/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def wait_final(page) -> None:
    page.wait_for_function("() => document.getElementById('submission').dataset.final === 'true'")


def test_learner_sees_results_live_and_the_leaderboard_follows(browser, server: LiveServer) -> None:
    watcher_context, watcher = new_page(browser, server)
    watcher.goto("/leaderboard/")
    watcher.wait_for_function("() => document.getElementById('live-state').textContent === 'Live'")
    watcher_load = watcher.evaluate("window.__pageLoadId")
    assert watcher.locator('#leaderboard tr[data-name="lena"]').count() == 0

    learner_context, learner = new_page(browser, server)
    register(learner, "lena")
    learner.goto(f"/challenges/{SLUG}")
    # The editor is CodeMirror with Python highlighting, loaded from /static/vendor/.
    learner.wait_for_selector(".CodeMirror .cm-keyword")
    assert "def" in learner.locator(".CodeMirror .cm-keyword").all_inner_texts()
    assert learner.evaluate("window.statementScriptRan") is None  # the statement is sanitized

    submission_id = submit_from_editor(learner, SLOW_PARTIAL)
    learner.wait_for_selector("#tests li.test", state="attached")
    wait_final(learner)
    rows = learner.locator("#tests li.test")
    assert rows.count() == 3
    assert learner.locator("#status").inner_text() == "Failed"
    assert learner.locator("#score").inner_text() == "60"
    learner.locator("#timings").wait_for()  # filled in from the stored record after the verdict
    assert "ran in" in learner.locator("#timings").inner_text()
    assert learner.locator("#tests li.test-passed").count() == 2
    failed = learner.locator("#tests li.test-failed")
    assert "/api/greet/<name> answers JSON" in failed.locator(".title").inner_text()
    assert "JSON" in failed.locator(".message").inner_text()  # the feedback of the failure
    added = learner.evaluate("window.__rowsAdded.filter(r => r.table === 'tests')")
    live = [row for row in added if row["live"]]
    assert live, f"no test row arrived through test.result: {added}"
    assert all(row["at"] > learner.evaluate("window.__domReadyAt") for row in live)
    assert learner.url.endswith(f"/submissions/{submission_id}")

    # The second browser context saw the standings change without reloading.
    row = watcher.locator('#leaderboard tr[data-name="lena"]')
    row.wait_for()
    assert row.locator(".score").inner_text() == "60"
    assert watcher.evaluate("window.__pageLoadId") == watcher_load

    # The second attempt is sent with the editor's keyboard shortcut.
    learner.goto(f"/challenges/{SLUG}")
    learner.wait_for_selector(".CodeMirror")
    set_editor(learner, SOLUTION)
    learner.click(".CodeMirror")
    learner.keyboard.press("Control+Enter")
    learner.wait_for_url(re.compile(r"/submissions/\d+$"))
    wait_final(learner)
    assert learner.locator("#status").inner_text() == "Passed"
    assert learner.locator("#score").inner_text() == "100"
    watcher.wait_for_function(
        "() => document.querySelector('#leaderboard tr[data-name=\"lena\"] .score').textContent === '100'")
    assert watcher.evaluate("window.__pageLoadId") == watcher_load

    # The learner's past submissions list both attempts with their scores.
    learner.goto(f"/challenges/{SLUG}")
    past = learner.locator("#past-submissions").inner_text()
    assert "60 / 100" in past and "100 / 100" in past
    learner_context.close()
    watcher_context.close()


def test_a_learner_never_receives_another_learners_results(browser, server: LiveServer) -> None:
    spy_context, spy = new_page(browser, server)
    register(spy, "spy")
    spy.goto("/leaderboard/")
    spy.wait_for_function("() => document.getElementById('live-state').textContent === 'Live'")
    spy.evaluate("""() => {
        window.__foreign = [];
        const socket = window.GraderLive.socket();
        socket.on('test.result', e => window.__foreign.push(e));
        socket.on('submission.update', e => window.__foreign.push(e));
    }""")
    author_context, author = new_page(browser, server)
    register(author, "author")
    submission_id = submit_from_editor(author, SOLUTION)
    wait_final(author)
    assert author.locator("#score").inner_text() == "100"
    spy.locator('#leaderboard tr[data-name="author"]').wait_for()
    assert spy.evaluate("window.__foreign") == []
    # Opening the page directly is refused too.
    response = spy.goto(f"/submissions/{submission_id}")
    assert response.status == 403
    assert "def greet_json" not in spy.content()
    spy_context.close()
    author_context.close()


def test_pages_use_only_local_assets_within_their_security_policy(browser, server: LiveServer) -> None:
    context, page = new_page(browser, server)
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    register(page, "assets")
    page.goto(f"/challenges/{SLUG}")
    page.wait_for_selector(".CodeMirror")
    page.goto("/leaderboard/")
    page.wait_for_function("() => document.getElementById('live-state').textContent === 'Live'")
    assert requested
    assert all(url.startswith((server.url, "ws://127.0.0.1")) for url in requested)
    # The Content-Security-Policy (scripts only from this server) is never violated.
    assert problems == []
    context.close()


def test_layout_fits_a_phone_screen(browser, server: LiveServer) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in ("/challenges/", f"/challenges/{SLUG}", "/leaderboard/", "/auth/login"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    context.close()



def test_teacher_regrades_everything_and_watches_progress(browser, server: LiveServer) -> None:
    learner_context, learner = new_page(browser, server)
    register(learner, "regraded")
    submit_from_editor(learner, PARTIAL, REGRADE_SLUG)
    wait_final(learner)
    submit_from_editor(learner, SOLUTION, REGRADE_SLUG)
    wait_final(learner)
    learner_context.close()

    context, page = new_page(browser, server)
    page.goto("/auth/login")
    page.fill("#username", "teacher")
    page.fill("#password", server.teacher_password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/challenges/$"))
    page.goto(f"/teach/challenges/{REGRADE_SLUG}/submissions")
    total = page.locator("#all-submissions tr[data-submission-id]").count()
    assert total == 2
    assert "regraded" in page.locator("#all-submissions").inner_text()
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("text=Regrade all")
    page.wait_for_url(re.compile(r"/submissions$"))
    assert "queued for regrading" in page.locator(".flashes").inner_text()
    page.wait_for_function(
        "() => document.getElementById('regrade-progress').textContent.startsWith('All ')")
    assert page.locator("#regrade-progress").inner_text() == f"All {total} submission(s) graded."
    statuses = page.locator("#all-submissions tr[data-submission-id]").evaluate_all(
        "rows => rows.map(row => row.dataset.status)")
    assert sorted(statuses) == ["failed", "passed"]
    context.close()


def test_engine_down_keeps_submissions_queued_and_says_grading_is_paused(
        browser, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("paused-challenges")
    write_challenge(root)
    missing_engine = f"unix://{root / 'no-docker.sock'}"
    with live_server(root, backend="docker", extra_env={"DOCKER_HOST": missing_engine}) as down:
        context, page = new_page(browser, down)
        register(page, "patient")
        submit_from_editor(page, SOLUTION)
        assert page.locator("#status").inner_text() in ("Queued", "Running")
        # The grader notices the engine is gone, puts the submission back and pauses.
        page.wait_for_function(
            "() => document.getElementById('status').dataset.status === 'queued'")
        for _ in range(100):
            page.reload()
            if page.locator("#grading-paused").count():
                break
            page.wait_for_timeout(200)
        assert "Grading is paused" in page.locator("#grading-paused").inner_text()
        assert page.locator("#status").inner_text() == "Queued"
        assert "stays queued" in page.locator("#progress-line").inner_text()
        page.goto("/challenges/")
        assert page.locator("#grading-paused").is_visible()
        context.close()
