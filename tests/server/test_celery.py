"""Celery mode: a real Redis, a real worker process, events across web processes."""

from __future__ import annotations

import threading
import time

import pytest
import requests
import socketio
from server_support import SOLUTION
from processes import celery_worker, create_user, server_env, web_server

pytestmark = pytest.mark.redis


def token_for(base: str, username: str, password: str) -> str:
    response = requests.post(f"{base}/api/v1/tokens", json={"username": username,
                                                             "password": password}, timeout=10)
    response.raise_for_status()
    return response.json()["token"]


class Recorder:
    """A Socket.IO client on /live that keeps every event it receives."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.events: list[tuple[str, dict]] = []
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        for name in ("submission.update", "test.result", "leaderboard.update"):
            self.client.on(name, self._keeper(name), namespace="/live")
        self.client.connect(base, namespaces=["/live"], auth={"token": token} if token else None,
                            transports=["websocket"], wait_timeout=10)

    def _keeper(self, name: str):
        def keep(data: dict) -> None:
            with self.changed:
                self.events.append((name, data))
                self.changed.notify_all()
        return keep

    def wait_for(self, predicate, timeout: float = 60.0) -> list[tuple[str, dict]]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate(self.events):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; received {self.events}")
                self.changed.wait(left)
            return list(self.events)

    def close(self) -> None:
        self.client.disconnect()


def test_worker_process_grades_and_events_reach_another_web_process(tmp_path, redis_url):
    env = server_env(tmp_path / "instance", GRADER_QUEUE="celery", GRADER_REDIS_URL=redis_url)
    with web_server(env) as (web_a, _, _), web_server(env) as (web_b, _, _):
        create_user(env, "ann", "correct-horse-9")
        token = token_for(web_a, "ann", "correct-horse-9")
        learner = Recorder(web_b, token)  # connected to the *other* web process
        watcher = Recorder(web_a)
        try:
            response = requests.post(f"{web_a}/api/v1/submissions",
                                     headers={"Authorization": f"Bearer {token}"},
                                     data={"challenge": "hello-routes"},
                                     files={"app.py": ("app.py", SOLUTION)}, timeout=10)
            assert response.status_code == 202, response.text
            sub_id = response.json()["id"]
            time.sleep(0.5)
            # no worker yet: the submission is stored and waits
            record = requests.get(f"{web_b}/api/v1/submissions/{sub_id}",
                                  headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
            assert record["status"] == "queued"
            with celery_worker(env) as worker_log:
                try:
                    events = learner.wait_for(lambda ev: any(
                        n == "submission.update" and d["status"] == "passed" for n, d in ev))
                except AssertionError:
                    raise AssertionError(worker_log.read_text()) from None
                tests = [d for n, d in events if n == "test.result"]
                assert [t["submission_id"] for t in tests] == [sub_id, sub_id]
                statuses = [d["status"] for n, d in events if n == "submission.update"]
                assert statuses[-2:] == ["running", "passed"]
                board = watcher.wait_for(lambda ev: any(n == "leaderboard.update" for n, _ in ev))
                rows = [d for n, d in board if n == "leaderboard.update"][-1]["rows"]
                assert rows[0]["name"] == "ann" and rows[0]["score"] == 100
            record = requests.get(f"{web_a}/api/v1/submissions/{sub_id}",
                                  headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
            assert record["status"] == "passed" and len(record["tests"]) == 2
        finally:
            learner.close()
            watcher.close()
