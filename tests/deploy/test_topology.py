"""Scale-out: two web processes and two Celery workers grade twenty learners, each exactly once."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
import socketio
from deploy_topology import CHALLENGE, CHALLENGES_DIR, LEARNERS, PASSWORD, TEACHER, Topology
from sqlalchemy import create_engine, text

pytestmark = [pytest.mark.docker, pytest.mark.redis, pytest.mark.postgres]

SOLUTION = (CHALLENGES_DIR / CHALLENGE / "solution" / "app.py").read_bytes()
MUTANT = (CHALLENGES_DIR / CHALLENGE / "mutants" / "wrong-greeting" / "app.py").read_bytes()
FINAL = {"passed", "failed", "error", "timeout", "memory", "rejected", "internal_error"}


class LiveListener:
    """A Socket.IO client on /live that records every event it receives."""

    def __init__(self, url: str, token: str) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        for name in ("test.result", "submission.update"):
            self.client.on(name, self._recorder(name), namespace="/live")
        self.client.connect(url, namespaces=["/live"], auth={"token": token},
                            transports=["websocket"], wait_timeout=10)

    def _recorder(self, name: str):
        def record(data: dict[str, Any]) -> None:
            with self.lock:
                self.events.append((name, data))

        return record

    def tests_by_submission(self) -> dict[int, list[str]]:
        """test.result events so far: submission id -> test ids, in arrival order."""
        found: dict[int, list[str]] = defaultdict(list)
        with self.lock:
            for name, data in self.events:
                if name == "test.result":
                    found[data["submission_id"]].append(data["test"]["id"])
        return found

    def close(self) -> None:
        self.client.disconnect()


def token_for(web: str, username: str) -> str:
    response = requests.post(f"{web}/api/v1/tokens", timeout=10,
                             json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return response.json()["token"]


def submit(web: str, token: str, source: bytes) -> dict[str, Any]:
    response = requests.post(f"{web}/api/v1/submissions", timeout=20,
                             headers={"Authorization": f"Bearer {token}"},
                             data={"challenge": CHALLENGE}, files={"app.py": ("app.py", source)})
    assert response.status_code == 202, response.text
    return response.json()


def wait_for(check: Callable[[], Any], timeout: float, what: str, topology: Topology,
             detail: Callable[[], str] = str) -> Any:
    """Poll `check` until it returns something true; fail with the processes' logs if not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}{detail()}\n{topology.tail()}", pytrace=False)


def test_twenty_learners_through_two_web_processes_are_each_graded_once(
        topology: Topology) -> None:
    web_a, web_b = topology.web
    learners = [f"learner{i:02d}" for i in range(1, LEARNERS + 1)]
    # Learner i talks to web A when i is even, B when odd; every third sends a wrong solution.
    route = {name: (web_a if i % 2 == 0 else web_b) for i, name in enumerate(learners)}
    wrong = {name for i, name in enumerate(learners) if i % 3 == 0}
    with ThreadPoolExecutor(8) as pool:
        tokens = dict(zip(learners, pool.map(lambda n: token_for(route[n], n), learners)))
    watched = next(n for n in learners if route[n] == web_b)
    teacher_live = LiveListener(web_a, token_for(web_b, TEACHER))
    learner_live = LiveListener(web_a, tokens[watched])
    try:
        def send(name: str) -> tuple[str, dict[str, Any]]:
            return name, submit(route[name], tokens[name], MUTANT if name in wrong else SOLUTION)

        with ThreadPoolExecutor(10) as pool:
            records = dict(pool.map(send, learners))
        ids = {name: record["id"] for name, record in records.items()}
        assert len(set(ids.values())) == LEARNERS
        assert all(record["status"] == "queued" for record in records.values())

        engine = create_engine(topology.database_url)
        try:
            last: list[Any] = []

            def all_final() -> list[Any] | None:
                with engine.connect() as conn:
                    last[:] = conn.execute(text(
                        "SELECT id, status, score, max_score, attempts FROM submissions "
                        "ORDER BY id")).all()
                return last if len(last) == LEARNERS and all(
                    r.status in FINAL for r in last) else None

            def unfinished() -> str:
                return f"; not final: {[tuple(r) for r in last if r.status not in FINAL]}"

            rows = wait_for(all_final, 150, "every submission to be graded", topology,
                            unfinished)
            with engine.connect() as conn:
                stored = defaultdict(set)
                for sid, test_id in conn.execute(text(
                        "SELECT submission_id, test_id FROM test_outcomes")):
                    stored[sid].add(test_id)
        finally:
            engine.dispose()

        by_id = {row.id: row for row in rows}
        for name in learners:
            row = by_id[ids[name]]
            # Graded exactly once: one claim of the job, one set of test rows.
            assert row.attempts == 1, f"{name}: submission {row.id} was claimed {row.attempts}x"
            expected = ("failed", 60, 90) if name in wrong else ("passed", 90, 90)
            assert (row.status, row.score, row.max_score) == expected, (name, row)
            assert len(stored[row.id]) == 3

        # Each job ran once in Celery, and both worker processes took a share.
        from celery import Celery

        stats = Celery("topology-probe", broker=topology.redis_url).control.inspect(
            destination=topology.workers, timeout=2.0).stats() or {}
        done = {name: stats.get(name, {}).get("total", {}).get("grader.grade", 0)
                for name in topology.workers}
        assert sum(done.values()) == LEARNERS, done
        assert all(count > 0 for count in done.values()), done

        # The teacher's socket on web A saw every test of every submission, whichever web
        # process took it and whichever worker graded it: once each.
        def every_test_seen() -> dict[int, list[str]] | None:
            found = teacher_live.tests_by_submission()
            complete = all(len(found.get(sid, [])) == len(stored[sid]) for sid in ids.values())
            return found if complete else None

        seen = wait_for(every_test_seen, 20, "every test.result on web A", topology)
        for sid in ids.values():
            assert sorted(seen[sid]) == sorted(stored[sid]), sid

        # The learner's socket on web A got the per-test events of the submission it posted
        # to web B, and nothing of anyone else's.
        own_id, final_status = ids[watched], by_id[ids[watched]].status

        def final_update_seen() -> list[dict[str, Any]] | None:
            with learner_live.lock:
                updates = [d for n, d in learner_live.events if n == "submission.update"]
            return updates if any(u["status"] == final_status for u in updates) else None

        updates = wait_for(final_update_seen, 20, "the learner's final update", topology)
        assert {u["id"] for u in updates} == {own_id}
        mine = learner_live.tests_by_submission()
        assert set(mine) == {own_id}
        assert sorted(mine[own_id]) == sorted(stored[own_id])

        # Both web processes read the same results and standings.
        for name in (watched, learners[0]):
            record = requests.get(f"{web_a}/api/v1/submissions/{ids[name]}", timeout=10,
                                  headers={"Authorization": f"Bearer {tokens[name]}"}).json()
            assert record["status"] == by_id[ids[name]].status
            assert len(record["tests"]) == len(stored[ids[name]])
        board_a = requests.get(f"{web_a}/api/v1/leaderboard", timeout=10).json()
        board_b = requests.get(f"{web_b}/api/v1/leaderboard", timeout=10).json()
        assert board_a == board_b
    finally:
        teacher_live.close()
        learner_live.close()
