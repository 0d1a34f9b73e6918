"""Runs the tests in tests/ against a given version of app.py.

The grader uses this to run your tests against the real app and against broken versions of it.
You can use it too: `python runtests.py` runs your tests against app.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PYTEST_INI = "[pytest]\ntestpaths = tests\n"
# modules a suite imports from its own folder; other copies must not be reused across runs
SUITE_MODULES = ("app", "rates", "conftest", "tests")


class Outcome:
    """Counts the test reports of one pytest run."""

    def __init__(self) -> None:
        self.counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            self.counts["tests"] += 1
        if report.failed:
            self.counts["failures" if report.when == "call" else "errors"] += 1
        elif report.skipped and report.when in ("setup", "call"):
            self.counts["skipped"] += 1

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.counts["errors"] += 1


def _prepare(app_source: str) -> Path:
    work = Path(tempfile.mkdtemp(prefix="suite-"))
    shutil.copytree(HERE / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(HERE / "rates.py", work / "rates.py")
    (work / "app.py").write_text(app_source, encoding="utf-8")
    (work / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
    return work


def _is_suite_module(name: str) -> bool:
    return name.split(".")[0] in SUITE_MODULES or name.split(".")[0].startswith("test_")


@contextlib.contextmanager
def _isolated(work: Path):
    """Import the suite's own app.py and rates.py, then put everything back as it was."""
    set_aside = {name: sys.modules.pop(name) for name in list(sys.modules) if _is_suite_module(name)}
    before = set(sys.modules)
    saved_path, saved_cwd = list(sys.path), os.getcwd()
    saved_autoload = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    sys.path.insert(0, str(work))
    os.chdir(work)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        if saved_autoload is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved_autoload
        for name in set(sys.modules) - before:
            del sys.modules[name]
        sys.modules.update(set_aside)


def run_suite(app_source: str) -> dict:
    """Run tests/ against this app.py source; a summary of the outcome."""
    work = _prepare(app_source)
    outcome = Outcome()
    report = io.StringIO()
    try:
        with _isolated(work), contextlib.redirect_stdout(report):
            exit_code = int(pytest.main(
                ["-q", "-p", "no:cacheprovider", "--capture=sys", "-c", str(work / "pytest.ini"),
                 "--rootdir", str(work), str(work / "tests")],
                plugins=[outcome],
            ))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    counts = outcome.counts
    return {"exit_code": exit_code, **counts, "passed": exit_code == 0 and counts["tests"] > 0,
            "output": report.getvalue()[-3000:]}


def run_suites(app_sources: list[str]) -> list[dict]:
    """Run tests/ against several app.py sources, one after the other."""
    return [run_suite(source) for source in app_sources]


if __name__ == "__main__":
    result = run_suite((HERE / "app.py").read_text(encoding="utf-8"))
    print(result["output"])
    print("passed" if result["passed"] else "FAILED", f"({result['tests']} tests)")
