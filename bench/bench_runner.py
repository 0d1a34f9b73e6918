"""Runner benchmark: the sandbox against the same hidden suite run bare, latency and throughput.

    .venv/bin/python bench/bench_runner.py [--runs 40] [--concurrency 4] [--runtime runsc]

Prints, in one run and on the same cores:
- latency: the median and p95 of grading one small submission in a fresh container (warm
  pool on; a container is never reused), beside the same hidden suite run bare with pytest on
  the host (the local backend: the same harness and fixtures, no container), and their ratio;
- throughput: gradings per minute with every core busy, in the sandbox and bare (the same
  number of gradings, the same number at a time), and their ratio;
- with `--runtime runsc`, the same latency and throughput under gVisor beside runc's;
- the runner's resident memory before and after gradings that flood their output;
- the machine's load average at the start and at the end (others' work skews every figure).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runner import GradeResult, RunnerSettings, grade, load_challenge
from runner.submission import read_folder

CHALLENGE = ROOT / "tests" / "sandbox" / "challenges" / "secret-echo"
FLOOD = '''
import sys
from flask import Flask
def create_app():
    chunk = "x" * 65536
    for _ in range(1500):
        sys.stdout.write(chunk)
    return Flask(__name__)
'''


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def full_points(result: GradeResult) -> GradeResult:
    if result.score != result.max_score:
        raise SystemExit(f"a grading did not score full points: {result.status} {result.message} "
                         f"{[t.detail for t in result.tests if t.status != 'passed']}")
    return result


def latencies(one: Callable[[], GradeResult], runs: int, pause: float) -> list[float]:
    """Seconds per grading, one at a time, `pause` between them (as between submissions)."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        full_points(one())
        out.append(time.perf_counter() - start)
        time.sleep(pause)
    return out


def throughput(one: Callable[[], GradeResult], total: int, concurrency: int) -> float:
    """Gradings per minute with `concurrency` at a time."""
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for result in pool.map(lambda _: one(), range(total)):
            full_points(result)
    return total / (time.perf_counter() - start) * 60


def measure(label: str, one: Callable[[], GradeResult], args: argparse.Namespace,
            pause: float, runs: int) -> dict[str, float]:
    one()  # the first grading starts the warm pool (or warms the host's caches)
    time.sleep(2)
    times = latencies(one, runs, pause)
    rate = throughput(one, args.runs * 2, args.concurrency)
    figures = {"median": statistics.median(times), "p95": percentile(times, 0.95), "rate": rate}
    print(f"{label:<22} latency median {figures['median'] * 1000:6.0f} ms   p95 "
          f"{figures['p95'] * 1000:6.0f} ms   ({runs} runs)   throughput {rate:5.0f} gradings/min",
          flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="latency runs in the sandbox")
    parser.add_argument("--concurrency", type=int, default=2 * (os.cpu_count() or 1),
                        help="gradings at a time for throughput (default: twice the cores)")
    parser.add_argument("--runtime", choices=("runc", "runsc"), default="runc",
                        help="runsc: also measure the sandbox under gVisor")
    args = parser.parse_args()
    image = os.environ.get("GRADER_RUNNER_IMAGE", "flask-grader-runner:latest")
    runc = RunnerSettings(image=image, warm_sandboxes=args.concurrency)
    bare = RunnerSettings(backend="local")

    challenge = load_challenge(CHALLENGE)
    files = read_folder(challenge.solution_dir)
    tests = sum(1 for line in (challenge.tests_dir / "test_secret.py").read_text().splitlines()
                if line.startswith("def test_"))
    print(f"challenge: {challenge.slug} ({tests} tests), {os.cpu_count()} cores, "
          f"load average at start: {load_average()}", flush=True)

    def grader(settings: RunnerSettings) -> Callable[[], GradeResult]:
        return lambda: grade(challenge, files, settings=settings)

    sandbox = measure("sandbox (runc)", grader(runc), args, pause=0.3, runs=args.runs)
    host = measure("bare pytest (host)", grader(bare), args, pause=0.0,
                   runs=max(10, args.runs // 2))
    print(f"ratio sandbox/bare: latency (median) {sandbox['median'] / host['median']:.2f}, "
          f"throughput {sandbox['rate'] / host['rate']:.2f}", flush=True)
    if args.runtime == "runsc":
        gvisor = RunnerSettings(image=image, warm_sandboxes=args.concurrency, runtime="runsc")
        other = measure("sandbox (runsc)", grader(gvisor), args, pause=0.3, runs=args.runs)
        print(f"runsc/runc: latency (median) {other['median'] / sandbox['median']:.2f}, "
              f"throughput {other['rate'] / sandbox['rate']:.2f}", flush=True)

    flood = {"app.py": FLOOD.encode()}
    before = rss_mb()
    for _ in range(5):
        grade(challenge, flood, settings=runc)
    after = rss_mb()
    print(f"runner memory under an output flood: {before:.0f} MB before, {after:.0f} MB after "
          f"5 floods of ~100 MB each")
    print(f"load average at the end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
