"""Take the README's screenshots: a live submission page, its result, the leaderboard, more.

Starts `grader serve` on a free loopback port with a throwaway instance folder and the bundled
challenges, registers a few learners in Chromium (driven by Playwright), submits through the
browser's editor, and grades in Docker with the runner image. Writes PNG files to
docs/screenshots/ (or --out).

    .venv/bin/python scripts/screenshots.py [--out DIR] [--chromium PATH] [--backend docker|local]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHALLENGES = ROOT / "challenges"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-component-update", "--disable-sync"]
PASSWORD = "screenshot-pass-1"
WAIT_MS = 90_000
# (learner, challenge, folder inside the challenge whose app.py is submitted)
SUBMISSIONS = [
    ("grace", "hello-flask", "solution"),
    ("grace", "session-cart", "solution"),
    ("linus", "hello-flask", "mutants/separate-home-view"),
    ("linus", "session-cart", "mutants/trusts-quantity"),
    ("ada", "session-cart", "mutants/forgot-modified"),
]
LIVE_SUBMISSION = ("ada", "hello-flask", "mutants/about-with-trailing-slash")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Block until the server accepts connections; raise if it exits or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError(f"the server did not listen on port {port} within {timeout:.0f} s")


@contextlib.contextmanager
def running_server(backend: str) -> Iterator[str]:
    """`grader serve` with its own instance folder; yields its base URL."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="grader-screenshots-") as tmp:
        env = {**os.environ, "GRADER_INSTANCE_PATH": tmp, "GRADER_BACKEND": backend,
               "GRADER_CHALLENGES_DIR": str(CHALLENGES), "GRADER_RATE_LIMIT": "0",
               "GRADER_DEMO_PASSWORD": PASSWORD, "PYTHONUNBUFFERED": "1"}
        env.pop("GRADER_DATABASE_URL", None)
        log_path = Path(tmp) / "server.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-c", f"from grader.serve import serve; serve('127.0.0.1', {port})"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, process)
            yield f"http://127.0.0.1:{port}"
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{log_path.read_text(errors='replace')[-3000:]}") from None
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def register(page, username: str) -> None:
    """Create an account through the registration form."""
    page.goto("/auth/register")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/challenges/")


def submit(page, slug: str, folder: str, wait: bool = True) -> None:
    """Put a prepared app.py into the challenge page's editor and submit it."""
    code = (CHALLENGES / slug / folder / "app.py").read_text(encoding="utf-8")
    page.goto(f"/challenges/{slug}")
    page.wait_for_selector(".CodeMirror")
    page.evaluate("text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", code)
    page.click("#submit-form input[type=submit]")
    page.wait_for_url("**/submissions/*")
    if wait:
        page.wait_for_function("() => document.getElementById('submission').dataset.final === 'true'")


def take(url: str, chromium: str, out: Path) -> list[Path]:
    """Drive the browser through the scenario and save the screenshots."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        contexts = {}

        def page_of(user: str):
            if user not in contexts:
                context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 860},
                                              device_scale_factor=1)
                context.set_default_timeout(WAIT_MS)
                contexts[user] = context.new_page()
                register(contexts[user], user)
            return contexts[user]

        for user, slug, folder in SUBMISSIONS:
            submit(page_of(user), slug, folder)

        board = browser.new_context(base_url=url, viewport={"width": 1280, "height": 640})
        board_page = board.new_page()
        board_page.set_default_timeout(WAIT_MS)
        board_page.goto("/leaderboard/")
        board_page.wait_for_function("() => document.getElementById('live-state').textContent === 'Live'")

        user, slug, folder = LIVE_SUBMISSION
        learner = page_of(user)
        learner.goto(f"/challenges/{slug}")
        learner.wait_for_selector(".CodeMirror")
        shots.append(out / "challenge.png")
        learner.screenshot(path=shots[-1])
        submit(learner, slug, folder, wait=False)
        learner.wait_for_selector("#tests li.test")
        shots.append(out / "submission-live.png")
        learner.screenshot(path=shots[-1], full_page=True)
        learner.wait_for_function("() => document.getElementById('submission').dataset.final === 'true'")
        learner.wait_for_timeout(500)  # the score bar's width transition
        shots.append(out / "submission.png")
        learner.screenshot(path=shots[-1], full_page=True)

        board_page.wait_for_selector('#leaderboard tr[data-name="ada"]')
        board_page.wait_for_timeout(400)  # let the row highlight of the live update show
        shots.append(out / "leaderboard.png")
        board_page.screenshot(path=shots[-1])

        grace = page_of("grace")
        grace.goto("/challenges/")
        shots.append(out / "challenges.png")
        grace.screenshot(path=shots[-1])

        teacher = browser.new_context(base_url=url, viewport={"width": 1280, "height": 1000})
        teacher_page = teacher.new_page()
        teacher_page.goto("/auth/login")
        teacher_page.fill("#username", "teacher")
        teacher_page.fill("#password", PASSWORD)
        teacher_page.click("input[type=submit]")
        teacher_page.wait_for_url("**/challenges/")
        teacher_page.goto("/teach/challenges/hello-flask")
        shots.append(out / "teacher-challenge.png")
        teacher_page.screenshot(path=shots[-1], full_page=True)
        browser.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--backend", choices=["docker", "local"], default="docker")
    args = parser.parse_args(argv)
    if not os.path.exists(args.chromium):
        print(f"screenshots: Chromium not found at {args.chromium}; pass --chromium PATH",
              file=sys.stderr)
        return 1
    try:
        with running_server(args.backend) as url:
            shots = take(url, args.chromium, args.out)
    except RuntimeError as exc:
        print(f"screenshots: {exc}", file=sys.stderr)
        return 1
    for shot in shots:
        print(f"screenshots: wrote {shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
