"""Shared data of the quiz engine's tests: the demo quiz folder and answers to it."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
CHALLENGES = HERE / "challenges"
DEMO = CHALLENGES / "quiz-demo"

# the answers that earn every point of the demo quiz (predict ones as the check computes them)
RIGHT = json.loads((HERE / "quiz-demo-answers.json").read_text(encoding="utf-8"))
EXPECTED = {
    "converter-mismatch": {"status": 404, "body": "<!doctype html>...", "mimetype": "text/html",
                           "location": None},
    "json-echo": {"status": 200, "body": '{"id":3,"name":"pen","ok":true}\n',
                  "mimetype": "application/json", "location": None},
    "gone-away": {"status": 301, "body": "<!doctype html>...", "mimetype": "text/html",
                  "location": "/new"},
}
