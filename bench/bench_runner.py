"""Runner benchmark: the sandbox against the same hidden suite run bare, latency and throughput.

    .venv/bin/python bench/bench_runner.py [--runs 40] [--concurrency 4] [--runtime runsc]

Prints, in one run and on the same cores:
- latency: the median and p95 of grading one small submission in a fresh container (warm
  pool on; a container is never reused), beside the same hidden suite run bare with pytest on
  the host (the local backend: the same harness and fixtures, no container), and their ratio;
- throughput: gradings per minute with every core busy, in the sandbox and bare (the same
  number of gradings, the same number at a time), and their ratio; measured in rounds that
  alternate the two (`--rounds`), so that a machine whose speed drifts during the run (other
  work, CPU taken by the host) weighs on both alike; each round's ratio is printed too. Here
  the sandbox has no warm pool: each round starts with no container and ends once every
  container it made is removed, so all of their cost falls inside the round (a warm pool only
  moves that cost earlier, and a pool filled before the clock starts, or refilled after it
  stops, would leave some of it out);
- with `--runtime runsc`, the same latency and throughput under gVisor beside runc's;
- the runner's resident memory before and after gradings that flood their output;
- the machine's load average at the start and at the end, and the share of CPU time the host
  took from this machine during the run (steal): others' work skews every figure.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runner import GradeResult, RunnerSettings, grade, load_challenge
from runner.backends import get_backend
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
    """Seconds for `total` gradings with `concurrency` at a time, until the containers made
    for them are gone."""
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for result in pool.map(lambda _: one(), range(total)):
            full_points(result)
    wait_for_no_sandboxes()
    return time.perf_counter() - start


def wait_for_no_sandboxes(limit_s: float = 60.0) -> None:
    """Until no sandbox container of this process is left (each removes itself as it ends)."""
    from runner.docker_engine import LABEL, connect

    client = connect()
    mine = f"{LABEL}.owner={socket.gethostname()}:{os.getpid()}"
    deadline = time.monotonic() + limit_s
    while client.api.containers(all=True, filters={"label": mine}):
        if time.monotonic() > deadline:
            raise SystemExit(f"sandbox containers still there after {limit_s:.0f} s")
        time.sleep(0.05)


def measure(label: str, one: Callable[[], GradeResult], pause: float,
            runs: int) -> dict[str, float]:
    one()  # the first grading starts the warm pool (or warms the host's caches)
    time.sleep(2)
    times = latencies(one, runs, pause)
    figures = {"median": statistics.median(times), "p95": percentile(times, 0.95)}
    print(f"{label:<22} latency median {figures['median'] * 1000:6.0f} ms   p95 "
          f"{figures['p95'] * 1000:6.0f} ms   ({runs} runs)", flush=True)
    return figures


def alternating_throughput(graders: dict[str, Callable[[], GradeResult]], rounds: int,
                           per_round: int, concurrency: int) -> dict[str, float]:
    """Gradings per minute of each grader, over `rounds` that take them in turn."""
    spent = dict.fromkeys(graders, 0.0)
    for number in range(1, rounds + 1):
        rates = {}
        for label, one in graders.items():
            seconds = throughput(one, per_round, concurrency)
            spent[label] += seconds
            rates[label] = per_round / seconds * 60
        first, second = list(rates.values())[:2]
        print(f"round {number}: " + ", ".join(f"{label} {rate:.0f}" for label, rate in
                                               rates.items())
              + f" gradings/min (ratio {first / second:.2f})", flush=True)
    return {label: rounds * per_round / seconds * 60 for label, seconds in spent.items()}


def cpu_ticks() -> tuple[int, int]:
    """(all, stolen) CPU ticks of the machine so far."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields[:8]), fields[7] if len(fields) > 7 else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="latency runs in the sandbox")
    parser.add_argument("--concurrency", type=int, default=2 * (os.cpu_count() or 1),
                        help="gradings at a time for throughput (default: twice the cores)")
    parser.add_argument("--rounds", type=int, default=6,
                        help="throughput rounds, sandbox and bare in turn (each --runs gradings)")
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

    ticks = cpu_ticks()
    sandbox = measure("sandbox (runc)", grader(runc), pause=0.3, runs=args.runs)
    host = measure("bare pytest (host)", grader(bare), pause=0.0, runs=max(10, args.runs // 2))
    get_backend("docker", runc).close()  # its warm containers: the rounds start with none
    cold = RunnerSettings(image=image, warm_sandboxes=0)
    rates = alternating_throughput({"sandbox": grader(cold), "bare": grader(bare)}, args.rounds,
                                   args.runs // 2, args.concurrency)
    print(f"throughput ({args.rounds} rounds of {args.runs // 2}, {args.concurrency} at a time): "
          f"sandbox {rates['sandbox']:.0f}, bare pytest {rates['bare']:.0f} gradings/min",
          flush=True)
    print(f"ratio sandbox/bare: latency (median) {sandbox['median'] / host['median']:.2f}, "
          f"throughput {rates['sandbox'] / rates['bare']:.2f}", flush=True)
    if args.runtime == "runsc":
        gvisor = RunnerSettings(image=image, warm_sandboxes=args.concurrency, runtime="runsc")
        other = measure("sandbox (runsc)", grader(gvisor), pause=0.3, runs=args.runs)
        get_backend("docker", gvisor).close()
        gvisor_cold = RunnerSettings(image=image, warm_sandboxes=0, runtime="runsc")
        gvisor_rates = alternating_throughput({"runsc": grader(gvisor_cold),
                                               "runc": grader(cold)},
                                              args.rounds, args.runs // 2, args.concurrency)
        print(f"runsc/runc: latency (median) {other['median'] / sandbox['median']:.2f}, "
              f"throughput {gvisor_rates['runsc'] / gvisor_rates['runc']:.2f}", flush=True)
    total, stolen = (now - before for now, before in zip(cpu_ticks(), ticks))
    print(f"CPU time the host took from this machine during the run (steal): "
          f"{stolen / max(total, 1) * 100:.1f} %", flush=True)

    flood = {"app.py": FLOOD.encode()}
    before = rss_mb()
    for _ in range(5):
        grade(challenge, flood, settings=cold)
    after = rss_mb()
    print(f"runner memory under an output flood: {before:.0f} MB before, {after:.0f} MB after "
          f"5 floods of ~100 MB each")
    print(f"load average at the end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
