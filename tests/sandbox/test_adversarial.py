"""Hostile submissions that try to win without solving: none may score full points.

Each case is graded in the real Docker sandbox. The `graded` fixture also checks, for every case,
that the run ended in bounded time, that no hidden-test text came back, and that the record is
small. The host checks (canary file, engine health, no containers left behind) follow each case.
"""

from __future__ import annotations

import json
import os
import socket
import textwrap
import time
from pathlib import Path

import pytest
from hostile_code import HIDDEN_INPUT_ATTACKS, TRUST_ATTACKS

from runner import Verdict

pytestmark = pytest.mark.docker

# A half-solution: everything but the sum, which is what each attack must "win" without solving.
BASE = '''
from flask import Flask, request

def create_app():
    app = Flask(__name__)
    app.config["ANSWER"] = 42

    @app.post("/echo")
    def echo():
        return request.get_data()

    @app.get("/sum")
    def total():
        return "0"
    return app
'''

FAKE_SUMMARY = '''
print("============================= 4 passed in 0.01s ==============================")
print('{"status": "passed", "score": 100, "max_score": 100, "tests": []}')
print('{"type":"done","load_error":null,"collect_errors":[],"memory":false,"timeouts":0}')
import sys
sys.stderr.write("PASSED test_secret.py::test_sum\\n")
'''


def app(prelude: str = "", body: str = BASE) -> str:
    return textwrap.dedent(prelude) + "\n" + body


ATTACKS: dict[str, dict[str, str]] = {
    "os-exit-at-import": {"app.py": app("import os\nos._exit(0)")},
    "system-exit-at-import": {"app.py": app("raise SystemExit(0)")},
    "fake-pytest-summary": {"app.py": app(FAKE_SUMMARY)},
    "fake-result-files": {"app.py": app('''
        import os
        for root, dirs, files in os.walk("/"):
            if root.startswith(("/proc", "/sys", "/dev")):
                dirs[:] = []
                continue
            for name in ("results.json", "report.xml", "result.json", "junit.xml"):
                try:
                    with open(os.path.join(root, name), "w") as fh:
                        fh.write('{"status": "passed", "score": 100, "max_score": 100}')
                except OSError:
                    pass
    ''')},
    "fake-lines-into-every-fd": {"app.py": app('''
        import json, os
        line = json.dumps({"type": "test", "id": "test_secret.py::test_sum", "status": "passed",
                           "points": 100, "max_points": 100}).encode() + b"\\n"
        for fd in range(0, 1024):
            for payload in (line, b"\\x00\\x00\\x00\\x10" + line[:16], b"garbage" * 100):
                try:
                    os.write(fd, payload)
                except OSError:
                    pass
    ''')},
    "patch-pytest-in-learner": {"app.py": app('''
        import _pytest.reports, _pytest.runner, pytest
        _pytest.reports.TestReport.outcome = "passed"
        pytest.fail = lambda *a, **k: None
        _pytest.runner.call_and_report = lambda *a, **k: None
        import os, glob
        for path in glob.glob("/opt/venv/lib/python3*/site-packages/_pytest/*.py"):
            try:
                open(path, "a").write("\\nraise SystemExit(0)\\n")
            except OSError:
                pass
    ''')},
    "ship-conftest-sitecustomize-ini": {
        "app.py": app(""),
        "conftest.py": textwrap.dedent('''
            import pytest
            @pytest.hookimpl(hookwrapper=True)
            def pytest_runtest_makereport(item, call):
                outcome = yield
                report = outcome.get_result()
                report.outcome = "passed"
        '''),
        "sitecustomize.py": "import builtins\nbuiltins.AssertionError = type('Nope', (Exception,), {})\n",
        "pytest.ini": "[pytest]\naddopts = -p no:runner_harness.plugin --co\n",
        "usercustomize.py": "import os\nos._exit(0)\n",
    },
    "kill-every-process": {"app.py": app('''
        import os, signal
        for pid in range(1, 4096):
            if pid != os.getpid():
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
    ''')},
    "always-equal-object": {"app.py": BASE.replace('app.config["ANSWER"] = 42', '''
    class AlwaysEqual(str):
        def __eq__(self, other):
            return True
        def __ne__(self, other):
            return False
        __hash__ = str.__hash__
    app.config["ANSWER"] = type("Anything", (), {"__eq__": lambda s, o: True})()
''').replace('return "0"', 'return AlwaysEqual("0")')},
    "fork-bomb": {"app.py": app('''
        import os
        while True:
            try:
                os.fork()
            except OSError:
                pass
    ''')},
    "memory-bomb": {"app.py": app('''
        hoard = []
        while True:
            hoard.append(bytearray(16 * 1024 * 1024))
    ''')},
    "busy-loop": {"app.py": app("while True:\n    pass\n")},
    "sleep-past-deadline": {"app.py": BASE.replace('return "0"', 'import time; time.sleep(1000)')},
    "flood-stdout-stderr": {"app.py": app('''
        import sys
        chunk = "x" * 65536
        for _ in range(2000):
            sys.stdout.write(chunk)
            sys.stderr.write(chunk)
    ''')},
    "fill-the-disk": {"app.py": app('''
        import os
        for folder in ("/tmp", os.getcwd(), os.path.expanduser("~"), "/dev/shm"):
            try:
                with open(os.path.join(folder, "filler"), "wb") as fh:
                    while True:
                        fh.write(b"\\0" * (1 << 20))
            except OSError:
                pass
    ''')},
    "network-and-names": {"app.py": BASE.replace('return "0"', '''
        import socket
        for host in ("pypi.org", "deb.debian.org", "localhost"):
            try:
                socket.getaddrinfo(host, 443)
                socket.create_connection((host, 443), timeout=1).close()
                return "5"
            except OSError:
                pass
        return "0"
''')},
    "walk-for-hidden-tests": {"app.py": BASE.replace('return "0"', '''
        import os, re
        for root, dirs, files in os.walk("/"):
            if root.startswith(("/proc", "/sys")):
                dirs[:] = []
                continue
            for name in files:
                if name.startswith("test_") and name.endswith(".py"):
                    try:
                        text = open(os.path.join(root, name)).read()
                    except OSError:
                        continue
                    if "def test_sum" in text:
                        return "5"
        return "0"
''')},
}


ATTACKS.update(TRUST_ATTACKS)


@pytest.fixture
def host_canary(tmp_path: Path):
    canary = tmp_path / "canary.txt"
    canary.write_text("untouched")
    yield canary
    assert canary.read_text() == "untouched"


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_does_not_win(name, graded, secret_echo, host_canary, docker_engine):
    """An attack never scores full points, ends in bounded time and leaves the host alone."""
    result = graded(secret_echo, ATTACKS[name])
    assert not (result.status is Verdict.PASSED or result.score == result.max_score), (
        f"{name} won: {result.status} {result.score}/{result.max_score}")
    assert result.status is not Verdict.INTERNAL_ERROR, result.message
    sum_test = next(t for t in result.tests if t.id.endswith("test_sum"))
    assert sum_test.status != "passed"
    _assert_no_sandbox_left_running()


EXPECTED_VERDICTS = {
    "memory-bomb": {Verdict.MEMORY},
    "busy-loop": {Verdict.TIMEOUT},
    "sleep-past-deadline": {Verdict.TIMEOUT},
    "os-exit-at-import": {Verdict.ERROR},
    "system-exit-at-import": {Verdict.ERROR},
}


@pytest.mark.parametrize("name", sorted(EXPECTED_VERDICTS))
def test_attack_verdicts(name, graded, secret_echo):
    """Resource attacks get the verdict that names what happened"""
    result = graded(secret_echo, ATTACKS[name])
    assert result.status in EXPECTED_VERDICTS[name], (result.status, result.message)
    assert result.message


@pytest.mark.parametrize("name", sorted(HIDDEN_INPUT_ATTACKS))
def test_hidden_inputs_never_come_back(name, graded, hidden_inputs, host_canary):
    """What the hidden tests pass never reaches the learner's record, whatever the code echoes"""
    result = graded(hidden_inputs, HIDDEN_INPUT_ATTACKS[name])
    assert result.score < result.max_score, (name, result.status)
    assert result.status is not Verdict.INTERNAL_ERROR, result.message
    assert "kumquat" not in json.dumps(result.to_dict()).lower()
    _assert_no_sandbox_left_running()


def test_flood_is_capped(graded, secret_echo):
    """An output flood never reaches the record beyond the caps"""
    result = graded(secret_echo, ATTACKS["flood-stdout-stderr"])
    assert all(len(t.message) <= 2000 for t in result.tests)
    assert len(result.message) <= 4000


def _assert_no_sandbox_left_running() -> None:
    """Within a few seconds, only warm (idle, unused) sandboxes remain."""
    import docker

    client = docker.from_env()
    deadline = time.monotonic() + 15
    while True:
        owner = f"flask-grader.owner={socket.gethostname()}:{os.getpid()}"
        exited = client.containers.list(all=True, sparse=True,
                                        filters={"label": owner, "status": "exited"})
        if not exited or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert not exited, f"sandboxes left behind: {[c.short_id for c in exited]}"
    client.ping()
