"""Benchmark the grading server end to end.

Measures, in one run:
  1. the runner's own latency (runner.grade on the test challenge's solution);
  2. submit-to-final-result latency through the HTTP API and Socket.IO (POST, then wait for
     the final `submission.update` on /live), against a real server process;
  3. leaderboard fan-out: N Socket.IO clients connected (spread over a few client
     processes, `--per-process` each), a grading changes the standings, and each client's
     `leaderboard.update` delivery time is measured from the moment the grading finished
     (the record's `finished_at`); the server is the embedded one (Flask-SocketIO in
     threading mode, one thread per open WebSocket);
  4. the server process's memory (RSS, and its peak).

    .venv/bin/python bench/bench_server.py [--backend docker|local] [--submissions 10]
                                           [--clients 200] [--per-process 250]
                                           [--rounds 3]

`--clients 1000` works: the script raises its open-file limit (and so the server's) to the
hard limit. The server listens on 127.0.0.1 only.

Results are printed and written to bench/results/server.json.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "server"))

import socketio
from bench_support import (
    SOLUTION,
    WatcherProcesses,
    create_users,
    load_average,
    raise_open_files,
    record,
    rss_kb,
    submit,
    summary,
    token_for,
)
from processes import DATA, server_env, web_server

import runner


def runner_latency(backend: str, count: int) -> list[float]:
    challenge = runner.load_challenge(DATA / "hello-routes")
    times = []
    for _ in range(count):
        start = time.perf_counter()
        result = runner.grade(challenge, {"app.py": SOLUTION}, backend=backend)
        times.append((time.perf_counter() - start) * 1000)
        if result.status != runner.Verdict.PASSED:
            raise SystemExit(f"the runner did not pass the solution: {result.message}")
    return times


class Listener:
    """One Socket.IO client on /live recording when each event arrived."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.finals: dict[int, float] = {}
        self.boards: list[float] = []
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("submission.update", self._update, namespace="/live")
        self.client.on("leaderboard.update", self._board, namespace="/live")
        self.client.connect(base, namespaces=["/live"], transports=["websocket"],
                            auth={"token": token} if token else None, wait_timeout=20)

    def _update(self, data: dict) -> None:
        if data["status"] not in ("queued", "running"):
            with self.changed:
                self.finals[data["id"]] = time.time()
                self.changed.notify_all()

    def _board(self, data: dict) -> None:
        with self.changed:
            self.boards.append(time.time())
            self.changed.notify_all()

    def wait_final(self, submission_id: int, timeout: float = 120) -> float:
        with self.changed:
            if not self.changed.wait_for(lambda: submission_id in self.finals, timeout):
                raise SystemExit(f"submission {submission_id} never finished")
            return self.finals[submission_id]


def epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("docker", "local"), default="docker",
                        help="grade in Docker (default) or in a local subprocess")
    parser.add_argument("--submissions", type=int, default=10,
                        help="gradings timed, alone and through the server (default 10)")
    parser.add_argument("--clients", type=int, default=200,
                        help="Socket.IO clients for the leaderboard fan-out (default 200)")
    parser.add_argument("--per-process", type=int, default=250,
                        help="fan-out clients per client process (default 250)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="standings changes measured during the fan-out (default 3)")
    args = parser.parse_args()
    if min(args.submissions, args.clients, args.per_process, args.rounds) < 1:
        parser.error("every count must be at least 1")
    # Turn a kill into an exit, so the server process started below is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if args.backend == "docker":
        ok, message = runner.engine_status()
        if not ok:
            raise SystemExit(f"Docker is not ready ({message}); try --backend local")
    open_files = raise_open_files()  # the server started below inherits it
    if open_files < args.clients + 256:
        raise SystemExit(f"the open-file limit is {open_files}: too low for {args.clients} "
                         "clients (raise the hard limit, `ulimit -Hn`)")
    print(f"load average at the start: {load_average()}; open-file limit {open_files}",
          flush=True)

    print(f"runner alone ({args.backend}), {args.submissions} gradings ...", flush=True)
    runner_ms = runner_latency(args.backend, args.submissions)

    results: dict = {"backend": args.backend, "runner": summary(runner_ms),
                     "load_average_start": load_average()}
    with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
        env = server_env(Path(tmp) / "instance", GRADER_BACKEND=args.backend,
                         GRADER_WORKERS="2")
        with web_server(env) as server:
            results["memory_idle"] = rss_kb(server.pid)
            # a new learner's first solution always changes the standings: one per round
            fans = [f"fan{number}" for number in range(args.rounds)]
            create_users(env, ["bench", *fans])
            token = token_for(server.url, "bench")
            learner = Listener(server.url, token)
            print(f"submit to final result through the server, {args.submissions} times ...",
                  flush=True)
            end_to_end, queued, run = [], [], []
            for _ in range(args.submissions):
                start = time.time()
                submission_id = submit(server.url, token)
                end_to_end.append((learner.wait_final(submission_id) - start) * 1000)
                timings = record(server.url, token, submission_id)["timings_ms"]
                queued.append(timings.get("queued", 0))
                run.append(timings.get("run", 0))
            results["submit_to_final"] = summary(end_to_end)
            results["server_queue_wait"] = summary(queued)
            results["server_run"] = summary(run)
            # What the server adds around the runner, per submission: HTTP, storage, queue,
            # per-test writes and events (end to end minus that submission's own grading time).
            results["server_overhead"] = summary([e - r for e, r in zip(end_to_end, run,
                                                                        strict=True)])

            print(f"connecting {args.clients} Socket.IO clients from "
                  f"{-(-args.clients // args.per_process)} processes ...", flush=True)
            watchers = WatcherProcesses(server.url, args.clients, args.per_process)
            if watchers.connected < args.clients:
                print(f"  only {watchers.connected} of {args.clients} clients could connect",
                      flush=True)
            results["memory_with_clients"] = rss_kb(server.pid)
            deliveries: list[float] = []
            for name in fans:
                fan_token = token_for(server.url, name)
                watchers.mark()
                submission_id = submit(server.url, fan_token)
                finished = epoch(record_when_final(server.url, fan_token, submission_id))
                deliveries += [(arrival - finished) * 1000 for arrival in watchers.collect(30)
                               if arrival is not None]
            if not deliveries:
                raise SystemExit("no client received a leaderboard update")
            results["fanout"] = {**summary(deliveries), "clients": watchers.connected,
                                 "rounds": args.rounds,
                                 "delivered": f"{len(deliveries)}/"
                                              f"{watchers.connected * args.rounds}"}
            results["memory_after"] = rss_kb(server.pid)
            watchers.close()
            learner.client.disconnect()
    results["load_average_end"] = load_average()

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "server.json").write_text(json.dumps(results, indent=2))
    print_report(results)


def record_when_final(base: str, token: str, submission_id: int) -> str:
    deadline = time.time() + 120
    while time.time() < deadline:
        body = record(base, token, submission_id)
        if body["finished_at"] and body["status"] not in ("queued", "running"):
            return body["finished_at"]
        time.sleep(0.05)
    raise SystemExit(f"submission {submission_id} never finished")


def print_report(r: dict) -> None:
    def line(label: str, s: dict) -> str:
        return f"  {label:<38} median {s['median_ms']:>8.1f} ms   p95 {s['p95_ms']:>8.1f} ms" \
               f"   (n={s['n']})"
    print()
    print(f"Grading server benchmark (backend: {r['backend']})")
    print(line("runner.grade alone", r["runner"]))
    print(line("submit -> final event (API+live)", r["submit_to_final"]))
    print(line("  of which waiting in the queue", r["server_queue_wait"]))
    print(line("  of which grading (server run)", r["server_run"]))
    print(line("  server overhead (end-to-end - run)", r["server_overhead"]))
    fan = r["fanout"]
    print(line(f"leaderboard fan-out to {fan['clients']}", fan)
          + f"  delivered {fan['delivered']}")
    for key in ("memory_idle", "memory_with_clients", "memory_after"):
        print(f"  server memory {key[7:]:<20} RSS {r[key]['rss_mb']:>7.1f} MB"
              f"   peak {r[key]['peak_rss_mb']:>7.1f} MB")
    print(f"  load average at the start {r['load_average_start']}, "
          f"at the end {r['load_average_end']}")


if __name__ == "__main__":
    main()
