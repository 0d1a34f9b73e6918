"""Helpers for the page and browser tests: a small challenge and a real server process."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import components

ROOT = Path(__file__).resolve().parents[2]
SLUG = "greeting-routes"
STARTER = '''\
"""Greeting routes: complete the three routes of the statement."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "Under construction"
'''
PARTIAL = STARTER.replace('"Under construction"', '"Hello!"') + '''

@app.route("/greet/<name>")
def greet(name):
    return f"Hello, {name}!"
'''
SOLUTION = PARTIAL + '''

@app.route("/api/greet/<name>")
def greet_json(name):
    return {"greeting": f"Hello, {name}!"}
'''
HIDDEN_TESTS = '''\
"""Hidden tests of the greeting routes."""

import pytest


@pytest.mark.points(30)
def test_home(client):
    """The home page says Hello!"""
    response = client.get("/")
    assert response.status_code == 200, "The home page should answer 200"
    assert response.text == "Hello!", "The home page should say exactly 'Hello!'"


@pytest.mark.points(30)
def test_greet(client):
    """/greet/<name> greets by name"""
    assert client.get("/greet/Ann").text == "Hello, Ann!", "Greet the name from the URL"


@pytest.mark.points(40)
def test_greet_json(client):
    """/api/greet/<name> answers JSON"""
    response = client.get("/api/greet/Ann")
    assert response.get_json() == {"greeting": "Hello, Ann!"}, "Answer {'greeting': ...} as JSON"
'''
STATEMENT = '''\
# Greeting routes

Build three routes in `app.py`:

| URL | answer |
|---|---|
| `/` | `Hello!` |
| `/greet/<name>` | `Hello, <name>!` |
| `/api/greet/<name>` | JSON `{"greeting": "Hello, <name>!"}` |

```python
@app.route("/greet/<name>")
def greet(name):
    ...
```

<script>window.statementScriptRan = true</script>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="window.statementScriptRan = true">
[a link](javascript:alert(1))
'''


def write_challenge(root: Path, slug: str = SLUG, title: str = "Greeting routes",
                    concepts: tuple[str, ...] = ("routing.route", "routing.dynamic")) -> Path:
    """A complete challenge folder (statement, starter, hidden tests, solution, a mutant)."""
    folder = root / slug
    files = {
        "challenge.toml": textwrap.dedent(f'''\
            slug = "{slug}"
            title = "{title}"
            concepts = [{", ".join(f'"{c}"' for c in concepts)}]
            difficulty = 1
            points = 100
            files = ["app.py"]
            entry = "app:app"
            timeout_s = 30
            memory_mb = 256
            feedback = "hints"
            '''),
        "statement.md": STATEMENT,
        "starter/app.py": STARTER,
        "solution/app.py": SOLUTION,
        "mutants/no-json/app.py": PARTIAL,
        "tests/test_routes.py": HIDDEN_TESTS,
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def zip_folder(folder: Path) -> bytes:
    """A folder as a zip, under its own name (the way a teacher would zip it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return out.getvalue()


def zip_files(files: dict[str, bytes]) -> bytes:
    """In-memory files as a zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def csrf_token(html: str) -> str:
    """The CSRF token embedded in a rendered page."""
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "the page carries no CSRF token"
    return match.group(1)


@dataclass
class LiveServer:
    """A real grading server process on a loopback port."""

    url: str
    process: subprocess.Popen
    teacher_password: str
    instance: Path
    log_path: Path

    def log(self) -> str:
        """What the server printed so far (for failure messages)."""
        return self.log_path.read_text(errors="replace")[-4000:]


@contextlib.contextmanager
def live_server(challenges_root: Path, backend: str = "docker",
                extra_env: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """`grader serve` in a subprocess with its own instance folder, database and challenges."""
    port = components.free_port()
    password = "teacher-pass-123"
    with tempfile.TemporaryDirectory(prefix="grader-web-") as tmp:
        instance = Path(tmp) / "instance"
        instance.mkdir()
        log_path = Path(tmp) / "server.log"
        env = {
            **os.environ,
            "GRADER_INSTANCE_PATH": str(instance),
            "GRADER_CHALLENGES_DIR": str(challenges_root),
            "GRADER_SECRET_KEY": "browser-tests-secret-key-0123456789",
            "GRADER_DEMO_PASSWORD": password,
            "GRADER_BACKEND": backend,
            "GRADER_QUEUE": "thread",
            "GRADER_RATE_LIMIT": "0",
            "GRADER_LOGIN_RATE_LIMIT": "0",
            "GRADER_REGISTER_RATE_LIMIT": "0",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        env.pop("GRADER_DATABASE_URL", None)
        code = f"from grader.serve import serve; serve('127.0.0.1', {port})"
        with open(log_path, "wb") as log:
            process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                                       stdout=log, stderr=subprocess.STDOUT)
        server = LiveServer(f"http://127.0.0.1:{port}", process, password, instance, log_path)
        try:
            if not components.wait_for_port(port, timeout=60, proc=process):
                raise RuntimeError(f"the grading server did not start:\n{server.log()}")
            yield server
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


# Runs in every page before its own scripts: records when rows are added to the live tables and
# marks the document, so a test can tell a live update from a reload.
OBSERVER_SCRIPT = """
window.__pageLoadId = Math.random();
window.__rowsAdded = [];
document.addEventListener("DOMContentLoaded", function () {
  window.__domReadyAt = performance.now();
  ["tests", "leaderboard"].forEach(function (id) {
    var target = document.getElementById(id);
    if (!target) { return; }
    new MutationObserver(function (mutations) {
      mutations.forEach(function (m) {
        m.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) {
            window.__rowsAdded.push({table: id, at: performance.now(), live: node.classList.contains("arrived"),
                                     text: node.textContent.trim().slice(0, 80)});
          }
        });
      });
    }).observe(target, {childList: true, subtree: true});
  });
});
"""


def set_editor(page, text: str) -> None:
    """Replace the visible CodeMirror editor's content, as typing would."""
    page.evaluate("text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", text)


def new_page(browser: Any, server: Any, timeout_ms: int = 60_000, **options: Any) -> tuple:
    """A fresh browser context on the server (the live-event observer installed) and its page."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(base_url=server.url, **options)
    context.add_init_script(OBSERVER_SCRIPT)
    context.set_default_timeout(timeout_ms)
    return context, context.new_page()


def register(page: Any, username: str, password: str = "browser-pass-1") -> None:
    """Register an account through the form; the page lands on the challenge list."""
    page.goto("/auth/register")
    page.fill("#username", username)
    page.fill("#password", password)
    page.fill("#confirm", password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/challenges/$"))
