"""Shared data of the quiz engine's tests: the demo quiz folder and answers to it."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
CHALLENGES = HERE / "challenges"
DEMO = CHALLENGES / "quiz-demo"

# the answers that earn every point of the demo quiz (predict ones as the check computes them)
RIGHT = {
    "abort-status": [0],
    "safe-methods": [0, 1],
    "hooks-in-order": ["@app.before_request", "def start_timer():",
                       "    g.started = time.perf_counter()", "    g.count = 1"],
    "converter-mismatch": {"status": 404},
    "json-echo": {"status": 200, "body": '{"id": 3, "name": "pen", "ok": true}',
                  "mimetype": "application/json"},
    "gone-away": {"status": 301, "location": "/new"},
    "int-converter": {"rule": "<int:user_id>"},
    "child-template": {"tag": "extends", "block": "content"},
}
EXPECTED = {
    "converter-mismatch": {"status": 404, "body": "<!doctype html>...", "mimetype": "text/html",
                           "location": None},
    "json-echo": {"status": 200, "body": '{"id":3,"name":"pen","ok":true}\n',
                  "mimetype": "application/json", "location": None},
    "gone-away": {"status": 301, "body": "<!doctype html>...", "mimetype": "text/html",
                  "location": "/new"},
}
