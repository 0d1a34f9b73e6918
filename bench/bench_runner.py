"""Runner benchmark: grading latency in the sandbox against bare pytest, throughput, memory.

    .venv/bin/python bench/bench_runner.py [--runs 40] [--concurrency 4]

Prints, in one run: the median and p95 latency of grading one small submission in a fresh
container (warm pool on, a container is never reused), the same hidden suite run bare with pytest
on the host (the local backend: no container) as the physical reference, their ratio, gradings
per minute with every core busy, and the runner's resident memory before and after grading a
submission that floods its output.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(fn) -> float:
    start = time.perf_counter()
    result = fn()
    assert result.score == result.max_score, (result.status, result.message)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=2 * (os.cpu_count() or 1))
    args = parser.parse_args()
    os.environ.setdefault("GRADER_WARM_SANDBOXES", str(args.concurrency))

    from runner import grade, load_challenge
    from runner.submission import read_folder

    challenge = load_challenge(CHALLENGE)
    files = read_folder(challenge.solution_dir)
    one = lambda backend: grade(challenge, files, backend=backend)  # noqa: E731

    timed(lambda: one("docker"))  # start the warm pool
    time.sleep(2)
    sandbox = []
    for _ in range(args.runs):
        sandbox.append(timed(lambda: one("docker")))
        time.sleep(0.3)  # let the pool start the next container, as between real submissions
    bare = [timed(lambda: one("local")) for _ in range(max(10, args.runs // 2))]

    total = args.runs * 2
    start = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        done = list(pool.map(lambda _: one("docker"), range(total)))
    elapsed = time.perf_counter() - start
    failures = [(str(r.status), r.message[:200], [t.message for t in r.tests if t.status != "passed"]) for r in done if r.score != r.max_score]
    if failures:
        print("NOT FULL:", len(failures), failures[:3])

    flood = {"app.py": FLOOD.encode()}
    before = rss_mb()
    for _ in range(5):
        grade(challenge, flood, backend="docker")
    after = rss_mb()

    med_s, p95_s = statistics.median(sandbox), percentile(sandbox, 0.95)
    med_b, p95_b = statistics.median(bare), percentile(bare, 0.95)
    print(f"challenge: {challenge.slug} ({len(challenge.tests_dir.glob('*.py').__next__().read_text().split('def test_')) - 1} tests), "
          f"{os.cpu_count()} cores")
    print(f"sandbox latency  median {med_s * 1000:6.0f} ms   p95 {p95_s * 1000:6.0f} ms   ({args.runs} runs)")
    print(f"bare pytest      median {med_b * 1000:6.0f} ms   p95 {p95_b * 1000:6.0f} ms   ({len(bare)} runs)")
    print(f"ratio sandbox/bare (median): {med_s / med_b:.2f}")
    print(f"throughput: {total / elapsed * 60:.0f} gradings/minute "
          f"({total} gradings, {args.concurrency} at a time, {elapsed:.1f} s)")
    print(f"runner memory under an output flood: {before:.0f} MB before, {after:.0f} MB after "
          f"5 floods of ~100 MB each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
