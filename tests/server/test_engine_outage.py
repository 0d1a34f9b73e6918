"""An engine outage in the middle of a burst, with a real server and a real (private) engine.

The engine the grader uses is stopped while gradings run and started again: nothing is lost,
nothing is graded twice, nobody is charged an attempt, and waiting submissions stay `queued`
for the whole outage.
"""

from __future__ import annotations

import threading
import time

import components
import pytest
import requests
from processes import create_user, server_env, web_server
from server_support import SOLUTION

pytestmark = pytest.mark.docker
PASSWORD = "correct-horse-9"
# Slow enough that the outage lands while some gradings run and others wait.
SLOW = SOLUTION + b"\nimport time\ntime.sleep(1.5)\n"


@pytest.fixture(scope="module")
def engine(docker_engine: str):
    with components.private_engine(docker_engine) as private:
        yield private


def test_an_engine_outage_loses_nothing_and_costs_no_attempt(tmp_path, engine, docker_engine):
    env = server_env(tmp_path / "instance", GRADER_BACKEND="docker", DOCKER_HOST=engine.url,
                     GRADER_RUNNER_IMAGE=docker_engine, GRADER_ENGINE_RETRY_S="1",
                     GRADER_WORKERS="2")
    with web_server(env) as (base, _, _):
        create_user(env, "ann", PASSWORD)
        token = requests.post(f"{base}/api/v1/tokens", json={"username": "ann",
                                                             "password": PASSWORD},
                              timeout=10).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}

        def submit() -> int:
            response = requests.post(f"{base}/api/v1/submissions", headers=headers,
                                     data={"challenge": "hello-routes"},
                                     files={"app.py": ("app.py", SLOW)}, timeout=30)
            assert response.status_code == 202, response.text
            return response.json()["id"]

        def record(sid: int) -> dict:
            return requests.get(f"{base}/api/v1/submissions/{sid}", headers=headers,
                                timeout=10).json()

        ids = [submit() for _ in range(6)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(record(s)["status"] == "running"
                                                      for s in ids):
            time.sleep(0.1)
        engine.stop()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if requests.get(f"{base}/api/v1/status", timeout=10).json()["paused"]:
                break
            time.sleep(0.2)
        assert requests.get(f"{base}/api/v1/status", timeout=10).json()["paused"] is True
        # During the outage every unfinished submission waits, queued, without an attempt.
        seen: dict[int, set[str]] = {s: set() for s in ids}
        stop_watching = threading.Event()

        def watch() -> None:
            while not stop_watching.is_set():
                for sid in ids:
                    seen[sid].add(record(sid)["status"])
                time.sleep(0.05)

        time.sleep(1.0)  # the gradings the outage broke are back in the queue by now
        unfinished = [s for s in ids if record(s)["status"] in ("queued", "running")]
        assert unfinished, "the outage came after every grading: nothing was tested"
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        time.sleep(4)  # several pause periods: probes, no claims
        stop_watching.set()
        watcher.join()
        for sid in unfinished:
            assert seen[sid] == {"queued"}, f"submission {sid} moved during the outage: {seen[sid]}"
            assert record(sid)["attempts"] == 0
        engine.start()
        finals = {}
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and len(finals) < len(ids):
            for sid in ids:
                current = record(sid)
                if current["status"] not in ("queued", "running"):
                    finals[sid] = current
            time.sleep(0.5)
        assert sorted(finals) == sorted(ids), "every submission is graded after the outage"
        for final in finals.values():
            assert (final["status"], final["score"], final["attempts"]) == ("passed", 100, 1), \
                (final["id"], final["message"], final["timings_ms"], final["tests"][:1])
        assert requests.get(f"{base}/api/v1/status", timeout=10).json()["paused"] is False
