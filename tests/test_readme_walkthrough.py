"""The README's commands, run for real against one `grader serve` grading in the Docker sandbox.

The commands come from README.md as printed (comments and all, through bash), so a README change
that breaks one fails here. Two values in them are examples and are replaced: the server address
(the test's server listens on a free port) and the id given to `grader status`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from components import free_port, interrupt, wait_for_port
from test_readme import BIN, BLOCKS, ROOT

pytestmark = pytest.mark.docker

README_URL = "http://127.0.0.1:5000"
DEMO_PASSWORD = "demo-teacher-walkthrough"
ANN_PASSWORD = "ann-walkthrough-9"
ALICE_PASSWORD = "alice-walkthrough-9"


def block_with(start: str) -> list[str]:
    """The lines of the README code block holding a line that starts with `start`."""
    for block in BLOCKS:
        lines = [line for line in block.splitlines() if line.strip()]
        if any(line.startswith(start) for line in lines):
            return lines
    raise AssertionError(f"README.md has no code block with a line starting {start!r}")


LEARNER = block_with("grader login --server")
TEACHER = block_with("grader challenge check")
SERVE_OUTPUT = block_with("Flask concept grader running at")
# The challenges the README names: the learner's `grader start SLUG`, the teacher's folders.
SLUGS = sorted({*(m.group(1) for line in LEARNER if (m := re.match(r"grader start (\S+)", line))),
                *(m.group(1) for line in TEACHER for m in re.finditer(r"challenges/([a-z0-9-]+)",
                                                                     line))})


@dataclass
class Walk:
    """The started server and where the README's commands run."""

    url: str
    env: dict[str, str]
    home: Path
    log: Path

    def run(self, line: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
        """One README line through bash, as a reader would paste it."""
        command = line.replace(README_URL, self.url)
        return subprocess.run(["bash", "-c", command], cwd=cwd, env=self.env, input=input,
                              text=True, capture_output=True, timeout=300, check=False)


@pytest.fixture
def walk(docker_engine: str, tmp_path: Path) -> Iterator[Walk]:
    """`grader serve` as `make serve` starts it, on a free port, with the README's challenges."""
    home = tmp_path
    missing = [slug for slug in SLUGS if not (ROOT / "challenges" / slug).is_dir()]
    assert not missing, f"README.md names challenges that challenges/ does not hold: {missing}"
    for slug in SLUGS:
        shutil.copytree(ROOT / "challenges" / slug, home / "challenges" / slug)
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRADER_")}
    env.update({"PATH": f"{BIN}:{env.get('PATH', '/usr/bin:/bin')}", "HOME": str(home),
                "XDG_CONFIG_HOME": str(home / "config"), "PYTHONUNBUFFERED": "1",
                "GRADER_INSTANCE_PATH": str(home / "instance"),
                "GRADER_CHALLENGES_DIR": str(home / "challenges"),
                "GRADER_DEMO_PASSWORD": DEMO_PASSWORD, "GRADER_RUNNER_IMAGE": docker_engine})
    port = free_port()
    log = home / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(BIN / "grader"), "serve", "--port", str(port)], cwd=home,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        if not wait_for_port(port, timeout=90, proc=proc):
            pytest.fail(f"grader serve did not start:\n{log.read_text()}")
        yield Walk(f"http://127.0.0.1:{port}", env, home, log)
    finally:
        interrupt(proc, 30)


def explain(line: str, done: subprocess.CompletedProcess) -> str:
    return f"{line!r} exited {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"


def register(url: str, username: str, password: str) -> None:
    """Sign up on the register page, as the README's learner does in the browser."""
    session = requests.Session()
    page = session.get(f"{url}/auth/register", timeout=10).text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert token, "the register page carries no CSRF token"
    done = session.post(f"{url}/auth/register", timeout=10, allow_redirects=False, data={
        "csrf_token": token.group(1), "username": username, "password": password,
        "confirm": password})
    assert done.status_code == 302, done.text[:500]


def token_role(url: str, username: str, password: str) -> str:
    """The role a sign-in with this password gets, or why it was refused."""
    answer = requests.post(f"{url}/api/v1/tokens", json={"username": username,
                                                         "password": password}, timeout=10)
    return answer.json()["role"] if answer.status_code == 201 else f"refused: {answer.text}"


def test_the_readme_commands_work(walk):
    """One server for all of it (a module fixture could start one per xdist worker)."""
    server_prints_what_the_readme_shows(walk)
    learner_walk_through(walk)
    teacher_commands(walk)


def server_prints_what_the_readme_shows(walk: Walk) -> None:
    printed = walk.log.read_text().splitlines()
    for line in SERVE_OUTPUT:
        expected = line.replace(README_URL, walk.url).replace("<password>", DEMO_PASSWORD)
        assert expected in printed, f"the README shows {line!r}; grader serve printed:\n{printed}"


def learner_walk_through(walk: Walk) -> None:
    """login, challenges, start, cd, test, submit, status, leaderboard: each as printed."""
    register(walk.url, "ann", ANN_PASSWORD)
    assert any(README_URL in line for line in LEARNER), "the login line names the README's server"
    cwd = walk.home / "learner"
    cwd.mkdir()
    ran = []
    started = submitted = None
    for line in LEARNER:
        words = line.split("#", 1)[0].split()
        if words[0] == "cd":
            cwd = cwd / words[1]
            assert cwd.is_dir(), f"{line!r}: no such folder after the commands before it"
            # The learner writes their code here: the challenge's reference solution.
            slug = words[1]
            shutil.copytree(ROOT / "challenges" / slug / "solution", cwd, dirs_exist_ok=True)
            ran.append("cd")
            continue
        assert words[0] == "grader", line
        command = words[1]
        if command == "status":
            assert submitted is not None, "`grader status` comes after `grader submit`"
            line = re.sub(r"^grader status \d+", f"grader status {submitted}", line)
        done = walk.run(line, cwd, input=f"{ANN_PASSWORD}\n" if command == "login" else None)
        where = explain(line, done)
        assert done.returncode == 0, where
        if command == "login":
            assert done.stdout.startswith(f"Logged in to {walk.url} as ann."), where
        elif command == "challenges":
            listed = [row.split()[0] for row in done.stdout.splitlines()[2:]]
            assert sorted(listed) == SLUGS, where
        elif command == "start":
            started = words[2]
            assert (cwd / started / ".grader.json").is_file(), where
        elif command == "test":
            summary = done.stdout.strip().splitlines()[-1]
            assert re.search(r"\b\d+ passed\b", summary) and "failed" not in summary, where
        elif command == "submit":
            assert "FAIL" not in done.stdout and "PASS" in done.stdout, where
            assert done.stdout.strip().splitlines()[-1] == "passed: 100/100 points", where
            submitted = latest_submission(walk.url, "ann", ANN_PASSWORD)
        elif command == "status":
            shown = done.stdout.strip().splitlines()
            assert shown[0].startswith(f"Submission {submitted} · {started} · ann"), where
            assert shown[-1] == "passed: 100/100 points", where
        elif command == "leaderboard":
            first = next(row for row in done.stdout.splitlines() if "ann" in row)
            assert re.search(r"\b1\b.*\bann\b.*\b100\b", first), where
        ran.append(command)
    assert ran == ["login", "challenges", "start", "cd", "test", "submit", "status",
                   "leaderboard"]


def latest_submission(url: str, username: str, password: str) -> int:
    token = requests.post(f"{url}/api/v1/tokens", json={"username": username,
                                                        "password": password}, timeout=10)
    mine = requests.get(f"{url}/api/v1/submissions", timeout=10, headers={
        "Authorization": f"Bearer {token.json()['token']}"}).json()["submissions"]
    return max(row["id"] for row in mine)


def teacher_commands(walk: Walk) -> None:
    """check, push (as the demo teacher), sync, users create: each as printed.

    They do not depend on one another, so each runs even when one before it failed, and the
    failures are reported together.
    """
    login = next(line for line in LEARNER if line.startswith("grader login"))
    as_teacher = walk.run(login.replace("--username ann", "--username teacher"), walk.home,
                          input=f"{DEMO_PASSWORD}\n")
    assert as_teacher.returncode == 0, as_teacher.stderr
    ran, failures = [], []
    for line in TEACHER:
        detail = ""
        words = line.split("#", 1)[0].split()
        done = walk.run(line, walk.home,
                        input=f"{ALICE_PASSWORD}\n" if "--password-stdin" in words else None)
        if words[:3] == ["grader", "challenge", "check"]:
            ran.append("check")
            worked = "OK: the solution scores full points" in done.stdout
        elif words[:3] == ["grader", "challenge", "push"]:
            ran.append("push")
            worked = bool(re.search(rf"^{Path(words[3]).name} version \d+ is published\.$",
                                    done.stdout, re.MULTILINE))
        elif words[3:5] == ["challenges", "sync"]:
            ran.append("sync")
            worked = f"{len(SLUGS)} of {len(SLUGS)} challenges ready" in done.stdout
        elif words[3:5] == ["users", "create"]:
            ran.append("users create")
            role = token_role(walk.url, words[5], ALICE_PASSWORD)
            detail = f"\nsigning in as {words[5]}: {role}"
            worked = done.stdout.strip() == f"Created teacher '{words[5]}'" and role == "teacher"
        else:
            raise AssertionError(f"the test does not know the README's teacher line {line!r}")
        if done.returncode != 0 or not worked:
            failures.append(explain(line, done) + detail)
    assert not failures, "\n\n".join(failures)
    assert ran == ["check", "push", "sync", "users create"]
