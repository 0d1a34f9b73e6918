"""What the server benchmarks share: figures, the server's memory, accounts, API calls, clients.

`bench_server.py` and `bench_load.py` start a real server on 127.0.0.1 with the helpers of
`tests/server/processes.py` and talk to it through its HTTP API and Socket.IO, as the `grader`
command-line tool and the browser do.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "server"))

import requests
import socketio
from processes import DATA

CHALLENGE = "hello-routes"
SOLUTION = (DATA / CHALLENGE / "solution" / "app.py").read_bytes()
PASSWORD = "bench-password-1"
LOOPBACK = "http://127.0.0.1:"

CREATE_USERS = """
import sys
from grader import create_app

app = create_app()
cli = app.test_cli_runner()
for name in sys.argv[2:]:
    result = cli.invoke(args=["users", "create", name, "--role", "student", "--password-stdin"],
                        input=sys.argv[1] + "\\n")
    if result.exit_code != 0:
        sys.exit(f"{name}: {result.output}")
"""


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of a non-empty list."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary(values: list[float]) -> dict[str, float]:
    """Count, median, p95 and maximum of milliseconds."""
    return {"n": len(values), "median_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 95), 1), "max_ms": round(max(values), 1)}


def rss_kb(pid: int) -> dict[str, float]:
    """Resident memory of a process now and at its peak, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return {"rss_mb": round(fields.get("VmRSS", 0) / 1024, 1),
            "peak_rss_mb": round(fields.get("VmHWM", 0) / 1024, 1)}


def load_average() -> str:
    """The machine's load average (1, 5, 15 minutes): others' work skews every figure."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def raise_open_files() -> int:
    """Raise this process's open-file limit to the hard limit; the soft limit now in force.

    Every Socket.IO client holds a socket here and one in the server, which inherits the limit;
    the usual soft limit of 1024 stops a fan-out to a thousand clients.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def check_loopback(base: str) -> str:
    """The benchmarks talk to a server on this machine only."""
    if not base.startswith(LOOPBACK):
        raise SystemExit(f"refusing to benchmark {base}: only 127.0.0.1 is measured")
    return base


def create_users(env: dict[str, str], names: list[str], password: str = PASSWORD) -> None:
    """`flask --app grader users create` for every name, in one process (one start-up)."""
    result = subprocess.run([sys.executable, "-c", CREATE_USERS, password, *names], env=env,
                            capture_output=True, text=True, timeout=600, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"creating accounts failed:\n{result.stdout}\n{result.stderr}")


def token_for(base: str, username: str, password: str = PASSWORD) -> str:
    """A new API token for an account."""
    response = requests.post(f"{check_loopback(base)}/api/v1/tokens",
                             json={"username": username, "password": password}, timeout=30)
    response.raise_for_status()
    return response.json()["token"]


def submit(base: str, token: str, session: requests.Session | None = None) -> int:
    """POST the solution of the bench challenge; the new submission's id."""
    response = (session or requests).post(f"{check_loopback(base)}/api/v1/submissions",
                                          headers={"Authorization": f"Bearer {token}"},
                                          data={"challenge": CHALLENGE},
                                          files={"app.py": ("app.py", SOLUTION)}, timeout=60)
    if response.status_code != 202:
        raise SystemExit(f"the API refused a submission: {response.status_code} "
                         f"{response.text[:300]}")
    return response.json()["id"]


def record(base: str, token: str, submission_id: int,
           session: requests.Session | None = None) -> dict:
    """The API's result record of a submission."""
    return (session or requests).get(f"{check_loopback(base)}/api/v1/submissions/{submission_id}",
                                     headers={"Authorization": f"Bearer {token}"},
                                     timeout=30).json()


class BoardWatcher:
    """An anonymous Socket.IO client on /live noting when each `leaderboard.update` arrived.

    Asynchronous (python-socketio's AsyncClient over aiohttp): a process holds hundreds of them
    on one event loop. The threaded client needs three threads per connection, and on the
    server's own two cores their switching, not the server, set the arrival times measured.
    """

    def __init__(self) -> None:
        self.boards: list[float] = []
        self.client = socketio.AsyncClient(reconnection=False)
        self.client.on("leaderboard.update", self._board, namespace="/live")

    async def _board(self, _data: dict) -> None:
        self.boards.append(time.time())

    async def connect(self, base: str) -> bool:
        try:
            await self.client.connect(base, namespaces=["/live"], transports=["websocket"],
                                      wait_timeout=30)
        except socketio.exceptions.ConnectionError:
            return False
        return True


def _watch(base: str, count: int, pipe: Connection) -> None:
    """One process's share of the fan-out clients, driven over `pipe` by the benchmark.

    Commands: "mark" notes each client's events so far; ("collect", timeout) answers the
    arrival times of each client's first event since the mark (None for a client that had none);
    "close" disconnects them all and ends the process. The clients live on an event loop in a
    thread of their own; this thread only reads what they noted.
    """
    import asyncio

    raise_open_files()
    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="watchers", daemon=True).start()

    async def connect_all() -> list[BoardWatcher]:
        gate = asyncio.Semaphore(16)  # as browsers arrive: a few at a time

        async def one() -> BoardWatcher | None:
            async with gate:
                watcher = BoardWatcher()
                return watcher if await watcher.connect(base) else None

        made = await asyncio.gather(*(one() for _ in range(count)))
        return [w for w in made if w is not None]

    async def disconnect_all(watchers: list[BoardWatcher]) -> None:
        await asyncio.gather(*(w.client.disconnect() for w in watchers),
                             return_exceptions=True)

    watchers = asyncio.run_coroutine_threadsafe(connect_all(), loop).result()
    pipe.send(len(watchers))
    marks = [0] * len(watchers)
    while True:
        command = pipe.recv()
        if command == "mark":
            marks = [len(w.boards) for w in watchers]
            pipe.send(True)
        elif command[0] == "collect":
            deadline = time.time() + command[1]
            while time.time() < deadline and any(
                    len(w.boards) <= seen for w, seen in zip(watchers, marks, strict=True)):
                time.sleep(0.05)
            pipe.send([w.boards[seen] if len(w.boards) > seen else None
                       for w, seen in zip(watchers, marks, strict=True)])
        else:
            asyncio.run_coroutine_threadsafe(disconnect_all(watchers), loop).result(60)
            loop.call_soon_threadsafe(loop.stop)
            pipe.send(True)
            return


class WatcherProcesses:
    """Fan-out clients spread over a few processes (one process's threads cannot keep up)."""

    def __init__(self, base: str, clients: int, per_process: int) -> None:
        context = multiprocessing.get_context("spawn")  # no copy of this process's threads
        self.pipes: list[Connection] = []
        self.processes = []
        shares = [per_process] * (clients // per_process)
        if clients % per_process:
            shares.append(clients % per_process)
        for share in shares:
            mine, theirs = context.Pipe()
            process = context.Process(target=_watch, args=(check_loopback(base), share, theirs),
                                      daemon=True)
            process.start()
            self.pipes.append(mine)
            self.processes.append(process)
        self.connected = sum(pipe.recv() for pipe in self.pipes)

    def mark(self) -> None:
        for pipe in self.pipes:
            pipe.send("mark")
        for pipe in self.pipes:
            pipe.recv()

    def collect(self, timeout: float) -> list[float | None]:
        for pipe in self.pipes:
            pipe.send(("collect", timeout))
        return [arrival for pipe in self.pipes for arrival in pipe.recv()]

    def close(self) -> None:
        for pipe in self.pipes:
            pipe.send("close")
        for pipe, process in zip(self.pipes, self.processes, strict=True):
            if pipe.poll(60):
                pipe.recv()
            process.join(10)
            if process.is_alive():
                process.terminate()
