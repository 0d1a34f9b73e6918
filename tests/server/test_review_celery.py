"""Celery mode: the similarity job is a Celery task that a worker process runs; progress goes live."""

from __future__ import annotations

import time

import pytest
import requests
from processes import celery_worker, create_user, server_env, web_server
from similarity_support import HONEST, disguise, write_notes_challenge
from test_celery import Recorder, token_for

pytestmark = pytest.mark.redis


def test_a_worker_process_computes_the_similarity(tmp_path, redis_url):
    write_notes_challenge(tmp_path / "challenges")
    env = server_env(tmp_path / "instance", GRADER_QUEUE="celery", GRADER_REDIS_URL=redis_url,
                     GRADER_CHALLENGES_DIR=str(tmp_path / "challenges"))
    with web_server(env) as (web, _, _), celery_worker(env) as worker_log:
        teacher = token_for(web, "teacher", "demo-teacher-pass")
        ids = []
        for name, text in (("ann", HONEST["honest_blueprint"]),
                           ("bob", disguise(HONEST["honest_blueprint"], seed=3))):
            create_user(env, name, "correct-horse-9")
            token = token_for(web, name, "correct-horse-9")
            answer = requests.post(f"{web}/api/v1/submissions", timeout=10,
                                   headers={"Authorization": f"Bearer {token}"},
                                   data={"challenge": "notes-api"},
                                   files={"app.py": ("app.py", text.encode())})
            assert answer.status_code == 202, answer.text
            ids.append((answer.json()["id"], token))
        for sub_id, token in ids:
            for _ in range(600):
                record = requests.get(f"{web}/api/v1/submissions/{sub_id}", timeout=10,
                                      headers={"Authorization": f"Bearer {token}"}).json()
                if record["status"] not in ("queued", "running"):
                    break
                time.sleep(0.1)
            assert record["status"] == "passed", worker_log.read_text()[-3000:]
        watcher = Recorder(web, teacher)
        watcher.client.on("similarity.progress", watcher._keeper("similarity.progress"),
                          namespace="/live")
        try:
            headers = {"Authorization": f"Bearer {teacher}"}
            first = requests.get(f"{web}/api/v1/challenges/notes-api/similarity", headers=headers,
                                 timeout=10)
            assert first.status_code == 202, first.text
            try:
                watcher.wait_for(lambda ev: any(n == "similarity.progress" and d["state"] == "done"
                                                for n, d in ev))
            except AssertionError:
                raise AssertionError(worker_log.read_text()[-3000:]) from None
            done = requests.get(f"{web}/api/v1/challenges/notes-api/similarity", headers=headers,
                                timeout=10)
            assert done.status_code == 200
            pair = done.json()["pairs"][0]
            assert sorted(pair["users"]) == ["ann", "bob"] and pair["similarity"] > 0.85
            assert "grader.similarity" in worker_log.read_text()
        finally:
            watcher.close()
