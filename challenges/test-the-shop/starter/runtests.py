"""Runs the tests in tests/ against a given version of app.py, in a separate Python process.

The grader uses this to run your tests against the real app and against broken versions of it.
You can use it too: `python runtests.py` runs your tests against app.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUITE_TIMEOUT_S = 30
PYTEST_INI = "[pytest]\npythonpath = .\ntestpaths = tests\n"


def _prepare(app_source: str) -> Path:
    work = Path(tempfile.mkdtemp(prefix="suite-"))
    shutil.copytree(HERE / "tests", work / "tests")
    shutil.copy(HERE / "rates.py", work / "rates.py")
    (work / "app.py").write_text(app_source, encoding="utf-8")
    (work / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
    return work


def _start(work: Path) -> subprocess.Popen:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work),
           "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", "pytest.ini",
               "--junitxml", "report.xml"]
    return subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _finish(work: Path, process: subprocess.Popen) -> dict:
    try:
        output, _ = process.communicate(timeout=SUITE_TIMEOUT_S)
        exit_code = process.returncode
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        exit_code = -1
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    try:
        suite = ET.parse(work / "report.xml").getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        counts = {key: int(suite.get(key, 0)) for key in counts}
    except (OSError, ET.ParseError, AttributeError):
        pass
    shutil.rmtree(work, ignore_errors=True)
    text = output.decode("utf-8", "replace")
    return {"exit_code": exit_code, **counts, "passed": exit_code == 0 and counts["tests"] > 0,
            "output": text[-3000:]}


def run_suite(app_source: str) -> dict:
    """Run tests/ against this app.py source; a summary of the outcome."""
    work = _prepare(app_source)
    return _finish(work, _start(work))


def run_suites(app_sources: list[str]) -> list[dict]:
    """Run tests/ against several app.py sources at once, one process each."""
    works = [_prepare(source) for source in app_sources]
    processes = [_start(work) for work in works]
    return [_finish(work, process) for work, process in zip(works, processes)]


if __name__ == "__main__":
    result = run_suite((HERE / "app.py").read_text(encoding="utf-8"))
    print(result["output"])
    print("passed" if result["passed"] else "FAILED", f"({result['tests']} tests)")
