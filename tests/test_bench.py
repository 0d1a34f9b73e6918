"""The load and server benchmarks answer `--help` with their options and measure loopback only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# bench_support puts tests/server first on sys.path (its quiz_support would shadow
# tests/quiz's), so it is imported in a process of its own.
CHECK = """
import sys
from bench_support import check_loopback
try:
    print(check_loopback(sys.argv[1]))
except SystemExit as exc:
    print(f"refused: {exc}")
"""


def loopback_check(base: str) -> str:
    done = subprocess.run([sys.executable, "-c", CHECK, base], cwd=ROOT / "bench",
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def help_text(script: str) -> str:
    done = subprocess.run([sys.executable, f"bench/{script}", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())


def test_load_benchmark_answers_help_with_a_burst_of_500():
    text = help_text("bench_load.py")
    for option in ("--learners", "--rate", "--minutes", "--burst", "--workers", "--reference"):
        assert option in text
    assert "submissions of the deadline burst (default 500)" in text


def test_server_benchmark_spreads_its_clients_over_processes():
    text = help_text("bench_server.py")
    assert "--clients" in text
    assert "fan-out clients per client process (default 250)" in text


@pytest.mark.parametrize("base", ["http://10.0.0.2:5000", "http://localhost:5000",
                                  "https://127.0.0.1:5000", "http://127.0.0.10:5000"])
def test_benchmarks_refuse_any_server_but_loopback(base):
    assert loopback_check(base) == f"refused: refusing to benchmark {base}: only 127.0.0.1 " \
                                   "is measured"


def test_benchmarks_accept_the_loopback_server():
    assert loopback_check("http://127.0.0.1:5123") == "http://127.0.0.1:5123"
