"""Benchmark the big tables: standings and pages of the submission lists over many submissions.

Two databases are filled by bulk insert in the same run: the reference with 100 submissions and
the big one (10,000 by default). For each, the same requests are timed through the app (its
test client, no network): the leaderboard's SQL standings, the API's first and last page of
everyone's submissions, a learner's own list, and the teacher's page of the busiest challenge.
Each figure is printed beside its reference, as a ratio big / reference: with pagination and
SQL standings only the standings (which read every counted submission) should grow much.

    .venv/bin/python bench/bench_tables.py [--submissions 10000] [--repeat 15]

Results are printed and written to bench/results/tables.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "server"))

from bulk_data import fill
from flask import Flask
from server_support import DATA, HELLO
from sqlalchemy import event

from grader import create_app
from grader.extensions import db
from grader.services import accounts, leaderboard, tokens, versions
from grader.services.submissions import DEFAULT_PER_PAGE

REFERENCE = 100
PASSWORD = "bench-password-1"


def make_app(folder: Path) -> Flask:
    """An app on its own SQLite file with the test challenge, like the server tests' one."""
    os.environ["GRADER_INSTANCE_PATH"] = str(folder / "instance")
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'tables.sqlite3'}",
        "GRADER_BACKEND": "local", "GRADER_RECOVER_ON_START": False,
        "GRADER_CHALLENGES_DIR": str(DATA), "GRADER_RATE_LIMIT": (100_000, 60),
        "GRADER_LOGIN_RATE_LIMIT": (100_000, 60), "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "bench-secret-key-0123456789"})
    with app.app_context():
        db.create_all()
        versions.import_folder(HELLO, validate=False)
        accounts.register("teach", PASSWORD, role="teacher")
    return app


def bearer(app: Flask, username: str) -> dict[str, str]:
    with app.app_context():
        plaintext, _ = tokens.create(accounts.by_username(username), "bench")
    return {"Authorization": f"Bearer {plaintext}"}


def timed(action: Callable[[], Any], repeat: int) -> float:
    """Median milliseconds of `action` over `repeat` runs (warmed up by the caller)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(submissions: int, repeat: int) -> dict[str, dict[str, float]]:
    """The figures of one database of `submissions` bulk-inserted submissions."""
    with tempfile.TemporaryDirectory(prefix="bench-tables-") as tmp:
        app = make_app(Path(tmp))
        expected = fill(app, submissions, learners=max(10, min(200, submissions // 50)),
                        queued=max(1, submissions // 100))
        learner = min(expected)  # a learner with graded work
        teacher_headers, learner_headers = bearer(app, "teach"), bearer(app, learner)
        client = app.test_client()
        client.post("/auth/login", data={"username": "teach", "password": PASSWORD})
        last = math.ceil(submissions / DEFAULT_PER_PAGE)

        seen: list[str] = []
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))

        def get(url: str, headers: dict[str, str] | None = None) -> Callable[[], None]:
            def run() -> None:
                response = client.get(url, headers=headers)
                if response.status_code != 200:
                    raise SystemExit(f"GET {url}: {response.status_code}")
            return run

        def standings() -> None:
            with app.app_context():
                leaderboard.standings()

        figures = {
            "SQL standings (leaderboard.standings)": standings,
            "GET /api/v1/leaderboard": get("/api/v1/leaderboard", teacher_headers),
            "GET /api/v1/submissions?all=1 (first page)":
                get("/api/v1/submissions?all=1", teacher_headers),
            "GET /api/v1/submissions?all=1&page=LAST (last page)":
                get(f"/api/v1/submissions?all=1&page={last}", teacher_headers),
            "GET /api/v1/submissions (a learner's own)":
                get("/api/v1/submissions", learner_headers),
            "teacher page of the busiest challenge":
                get("/teach/challenges/hello-routes/submissions"),
        }
        results = {}
        for name, action in figures.items():
            action()  # warm-up, and the first-use writes (a token's last use) out of the count
            seen.clear()
            action()
            statements = len(seen)
            median_ms = timed(action, repeat)
            results[name] = {"median_ms": round(median_ms, 2), "statements": statements}
        app.extensions["grader_queue"].shutdown(wait=True)
        with app.app_context():
            db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=10_000,
                        help="submissions in the big database (default 10000)")
    parser.add_argument("--repeat", type=int, default=15,
                        help="timed runs of each request, after one warm-up (default 15)")
    args = parser.parse_args()
    if args.submissions <= REFERENCE:
        parser.error(f"--submissions must be more than the reference's {REFERENCE}")

    started = time.perf_counter()
    reference = measure(REFERENCE, args.repeat)
    big = measure(args.submissions, args.repeat)
    load = os.getloadavg()

    width = max(len(name) for name in big)
    print(f"\n{'figure (median of ' + str(args.repeat) + ')':<{width}}  "
          f"{REFERENCE:>7} subs  {args.submissions:>7} subs  ratio  statements")
    rows = []
    for name, figure in big.items():
        small = reference[name]
        ratio = figure["median_ms"] / small["median_ms"] if small["median_ms"] else float("nan")
        rows.append({"figure": name, "reference_ms": small["median_ms"],
                     "big_ms": figure["median_ms"], "ratio": round(ratio, 2),
                     "statements": [small["statements"], figure["statements"]]})
        print(f"{name:<{width}}  {small['median_ms']:>8.1f} ms  {figure['median_ms']:>8.1f} ms"
              f"  {ratio:>5.2f}  {small['statements']} / {figure['statements']}")
    print(f"\nload average (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on "
          f"{os.cpu_count()} cores; run took {time.perf_counter() - started:.0f} s")

    out = ROOT / "bench" / "results" / "tables.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "when": datetime.now().isoformat(timespec="seconds"), "reference": REFERENCE,
        "submissions": args.submissions, "repeat": args.repeat, "load_average": load,
        "figures": rows}, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
