"""Load benchmark: learners submitting over the API at a sustained rate, then a deadline burst.

    .venv/bin/python bench/bench_load.py [--learners 20] [--rate 30] [--minutes 1]
                                         [--burst 500] [--workers 2] [--reference 60]

Starts a real `grader serve` (the embedded mode: SQLite, in-process grading threads, the Docker
sandbox) on 127.0.0.1 with a temporary instance folder, creates the learners and their API
tokens, and connects one Socket.IO client per learner that listens for its own
`submission.update` and `test.result` events. Then, in one run and on the same cores:

1. the reference: the runner's own throughput, the same challenge graded with `runner.grade`
   directly, `--workers` at a time (as many as the server grades at once);
2. a sustained rate: `--rate` submissions per minute for `--minutes`, the learners in turn;
3. a deadline burst: `--burst` submissions posted as fast as the API takes them.

Prints, per phase, the median and p95 from the POST to the learner's final event; the burst's
drain rate (gradings per minute, from its first POST to its last final event) beside the
runner's throughput and their ratio; the lost submissions (no final event on the owner's
socket, or not final in the database) and the duplicated ones (more than one final event, a
test reported twice, or graded more than once): both must be 0, else the exit status is 1;
and the server's memory (RSS at rest, with the learners connected, and its peak). The
submission rate limit is raised for the run (each learner's whole share fits in its window) and
the output says so. Results are also written to bench/results/load.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import signal
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import socketio
from bench_support import (
    CHALLENGE,
    ROOT,
    SOLUTION,
    check_loopback,
    create_users,
    load_average,
    record,
    rss_kb,
    submit,
    summary,
    token_for,
)
from processes import DATA, grader_serve, server_env

import runner

PENDING = ("queued", "running")


class Learner:
    """One learner's token and Socket.IO client, recording its own submissions' events."""

    def __init__(self, base: str, name: str, token: str) -> None:
        self.name = name
        self.token = token
        self.lock = threading.Condition()
        self.finals: dict[int, list[float]] = defaultdict(list)
        self.tests: Counter[tuple[int, str]] = Counter()
        self.client = socketio.Client(reconnection=False)
        self.client.on("submission.update", self._update, namespace="/live")
        self.client.on("test.result", self._test, namespace="/live")
        self.client.connect(check_loopback(base), namespaces=["/live"], transports=["websocket"],
                            auth={"token": token}, wait_timeout=30)

    def _update(self, data: dict) -> None:
        if data["status"] not in PENDING:
            with self.lock:
                self.finals[data["id"]].append(time.time())
                self.lock.notify_all()

    def _test(self, data: dict) -> None:
        with self.lock:
            self.tests[(data["submission_id"], data["test"]["id"])] += 1


@dataclasses.dataclass
class Sent:
    """One submission as the benchmark posted it."""

    id: int
    learner: Learner
    posted: float  # epoch seconds just before the POST
    accepted: float  # when the API answered


def post(base: str, learner: Learner, sessions: threading.local) -> Sent:
    if not hasattr(sessions, "http"):
        sessions.http = requests.Session()
    posted = time.time()
    submission_id = submit(base, learner.token, sessions.http)
    return Sent(submission_id, learner, posted, time.time())


def wait_finals(sent: list[Sent], timeout: float) -> None:
    """Until every submission has a final event on its owner's socket, or `timeout` passed."""
    deadline = time.time() + timeout
    for item in sent:
        with item.learner.lock:
            item.learner.lock.wait_for(lambda i=item: i.id in i.learner.finals,
                                       max(0.0, deadline - time.time()))


def sustained(base: str, learners: list[Learner], rate: float, total: int,
              submitters: int) -> list[Sent]:
    """`total` submissions at `rate` per minute, each POST on time even if another is slow."""
    sessions = threading.local()
    start = time.time()
    with ThreadPoolExecutor(submitters) as pool:
        futures = []
        for number in range(total):
            time.sleep(max(0.0, start + number * 60 / rate - time.time()))
            futures.append(pool.submit(post, base, learners[number % len(learners)], sessions))
        return [future.result() for future in futures]


def burst(base: str, learners: list[Learner], total: int, submitters: int) -> list[Sent]:
    """`total` submissions as fast as `submitters` parallel connections get them accepted."""
    sessions = threading.local()
    with ThreadPoolExecutor(submitters) as pool:
        return list(pool.map(lambda n: post(base, learners[n % len(learners)], sessions),
                             range(total)))


def reference(backend: str, workers: int, count: int) -> float:
    """The runner's own throughput in gradings per minute, `workers` at a time."""
    challenge = runner.load_challenge(DATA / CHALLENGE)
    settings = dataclasses.replace(runner.RunnerSettings.from_env(), backend=backend,
                                   warm_sandboxes=workers)

    def one(_: int) -> None:
        result = runner.grade(challenge, {"app.py": SOLUTION}, settings=settings)
        if result.status != runner.Verdict.PASSED:
            raise SystemExit(f"the runner did not pass the solution: {result.message}")

    one(0)  # starts the warm pool
    time.sleep(2)
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(count)))
    rate = count / (time.perf_counter() - start) * 60
    runner.shutdown()  # its warm sandboxes would take the server's cores and memory
    return rate


def audit(base: str, sent: list[Sent]) -> dict[str, int]:
    """Lost, duplicated and not-passed submissions, from the sockets and the database."""
    counts = {"lost": 0, "duplicated": 0, "not_passed": 0}
    sessions = threading.local()

    def check(item: Sent) -> tuple[bool, bool, bool]:
        if not hasattr(sessions, "http"):
            sessions.http = requests.Session()
        body = record(base, item.learner.token, item.id, sessions.http)
        with item.learner.lock:
            finals = len(item.learner.finals.get(item.id, []))
            twice = any(n > 1 for (sid, _), n in item.learner.tests.items() if sid == item.id)
        lost = finals == 0 or body["status"] in PENDING
        duplicated = finals > 1 or twice or body["attempts"] > 1
        return lost, duplicated, body["status"] != "passed"

    with ThreadPoolExecutor(8) as pool:
        for lost, duplicated, failed in pool.map(check, sent):
            counts["lost"] += lost
            counts["duplicated"] += duplicated
            counts["not_passed"] += failed
    return counts


def latencies(sent: list[Sent]) -> dict[str, float]:
    done = [(item.learner.finals[item.id][0] - item.posted) * 1000 for item in sent
            if item.learner.finals.get(item.id)]
    return summary(done) if done else {"n": 0, "median_ms": 0, "p95_ms": 0, "max_ms": 0}


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=20,
                        help="learner accounts, each with a token and a socket (default 20)")
    parser.add_argument("--rate", type=float, default=30,
                        help="sustained submissions per minute (default 30)")
    parser.add_argument("--minutes", type=float, default=1.0,
                        help="length of the sustained phase (default 1)")
    parser.add_argument("--burst", type=int, default=500,
                        help="submissions of the deadline burst (default 500)")
    parser.add_argument("--workers", type=int, default=2,
                        help="gradings at a time, the server's GRADER_WORKERS and the "
                             "reference's (default 2)")
    parser.add_argument("--reference", type=int, default=60,
                        help="gradings of the runner-alone reference (default 60)")
    parser.add_argument("--submitters", type=int, default=8,
                        help="parallel HTTP connections posting submissions (default 8)")
    parser.add_argument("--backend", choices=("docker", "local"), default="docker",
                        help="grade in the Docker sandbox (default) or a local subprocess")
    args = parser.parse_args()
    if min(args.learners, args.workers, args.reference, args.submitters) < 1 or \
            args.rate <= 0 or args.minutes < 0 or args.burst < 1:
        parser.error("counts must be at least 1, --rate above 0, --minutes not negative")
    return args


def main() -> int:
    args = options()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so the server is stopped too
    if args.backend == "docker":
        ok, message = runner.engine_status()
        if not ok:
            raise SystemExit(f"Docker is not ready ({message}); try --backend local")
    steady = round(args.rate * args.minutes)
    share = math.ceil((steady + args.burst) / args.learners)
    results: dict = {"backend": args.backend, "learners": args.learners,
                     "workers": args.workers, "load_average_start": load_average(),
                     "rate_limit": f"{share}/60"}
    print(f"load average at the start: {results['load_average_start']}", flush=True)
    print(f"reference: runner.grade alone, {args.reference} gradings, {args.workers} at a time "
          "...", flush=True)
    results["runner_per_min"] = round(reference(args.backend, args.workers, args.reference), 1)
    print(f"  {results['runner_per_min']:.0f} gradings/min", flush=True)

    with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
        # Each learner's whole share of the run fits in one window of the limiter, which still
        # counts every submission (the default 10/60 would refuse most of the burst).
        env = server_env(Path(tmp) / "instance", GRADER_BACKEND=args.backend,
                         GRADER_WORKERS=str(args.workers), GRADER_RATE_LIMIT=f"{share}/60")
        print(f"submission rate limit for this run: GRADER_RATE_LIMIT={share}/60 per learner "
              "(default 10/60)", flush=True)
        names = [f"learner{number:03d}" for number in range(1, args.learners + 1)]
        with grader_serve(env) as (server, _):
            results["memory_idle"] = rss_kb(server.pid)
            create_users(env, names)  # the server made the schema
            with ThreadPoolExecutor(8) as pool:
                tokens = list(pool.map(lambda n: token_for(server.url, n), names))
                learners = list(pool.map(lambda nt: Learner(server.url, *nt),
                                         zip(names, tokens, strict=True)))
            results["memory_connected"] = rss_kb(server.pid)
            print(f"{len(learners)} learners connected; sustained phase: {steady} submissions "
                  f"at {args.rate:g}/min ...", flush=True)
            steady_sent = sustained(server.url, learners, args.rate, steady, args.submitters)
            wait_finals(steady_sent, 180)
            results["sustained"] = latencies(steady_sent)
            print(f"deadline burst: {args.burst} submissions ...", flush=True)
            burst_sent = burst(server.url, learners, args.burst, args.submitters)
            first = min(item.posted for item in burst_sent)
            taken = max(item.accepted for item in burst_sent) - first
            print(f"  the API took them in {taken:.1f} s; draining ...", flush=True)
            # Generous: four times what the runner alone would take, and two minutes more.
            wait_finals(burst_sent, 120 + 4 * 60 * args.burst / results["runner_per_min"])
            ends = [item.learner.finals[item.id][0] for item in burst_sent
                    if item.learner.finals.get(item.id)]
            drained = len(ends) / (max(ends) - first) * 60 if ends else 0.0
            results["burst"] = {**latencies(burst_sent), "accepted_in_s": round(taken, 1),
                                "drain_per_min": round(drained, 1)}
            results["audit"] = audit(server.url, steady_sent + burst_sent)
            results["memory_end"] = rss_kb(server.pid)
            with ThreadPoolExecutor(16) as pool:
                list(pool.map(lambda learner: learner.client.disconnect(), learners))
    results["load_average_end"] = load_average()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps(results, indent=2))
    report(results)
    return 1 if results["audit"]["lost"] or results["audit"]["duplicated"] else 0


def report(r: dict) -> None:
    def line(label: str, s: dict) -> str:
        return (f"  {label:<36} p50 {s['median_ms'] / 1000:>7.2f} s   p95 "
                f"{s['p95_ms'] / 1000:>7.2f} s   (n={s['n']})")

    print()
    print(f"Load benchmark (backend {r['backend']}, {r['learners']} learners, "
          f"{r['workers']} gradings at a time, rate limit {r['rate_limit']} per learner)")
    print(line("sustained: submit -> final event", r["sustained"]))
    print(line("burst: submit -> final event", r["burst"]))
    burst_rate, alone = r["burst"]["drain_per_min"], r["runner_per_min"]
    print(f"  burst drain rate {burst_rate:.0f} gradings/min; runner alone {alone:.0f} "
          f"gradings/min; ratio {burst_rate / alone:.2f}")
    print(f"  the API accepted the burst in {r['burst']['accepted_in_s']:.1f} s")
    audit_counts = r["audit"]
    verdict = "ok" if not audit_counts["lost"] and not audit_counts["duplicated"] else "FAILED"
    print(f"  lost {audit_counts['lost']}, duplicated {audit_counts['duplicated']} "
          f"(both must be 0: {verdict}); not passed {audit_counts['not_passed']}")
    print(f"  server memory: {r['memory_idle']['rss_mb']:.0f} MB at rest, "
          f"{r['memory_connected']['rss_mb']:.0f} MB with the learners connected, "
          f"{r['memory_end']['peak_rss_mb']:.0f} MB at peak")
    print(f"  load average at the start {r['load_average_start']}, at the end "
          f"{r['load_average_end']}")


if __name__ == "__main__":
    sys.exit(main())
