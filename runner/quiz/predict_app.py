"""The app folder's entry point when a quiz's predict questions run in one sandbox run.

This file is never imported on the host: it is copied into the run's app folder as
`quizpredict.py`, beside one folder per question (`q0/`, `q1/`, ...) and `predict.json`
(each question's folder, entry point and request). Each hidden test gets a fresh learner
process, as always, and asks it `quizpredict.answer(<index>)` through `learner.eval`; the
question's app is then built and asked exactly as if it were the only app of the run:

- its own folder is the working directory and the first entry of `sys.path`, and the run's
  folder leaves `sys.path`, so its modules import as top-level modules (`app`, ...);
- modules the fork server imported in advance whose names are the question's own are
  forgotten, so the question's files win, as they would in a run of their own;
- it runs in an empty `contextvars.Context`, so the entry point's app context (the one
  `learner.eval` pushes) is not visible to it.
"""

from __future__ import annotations

import contextvars
import importlib
import io
import json
import os
import sys
from typing import Any

from flask import Flask

app = Flask(__name__)  # the run's entry point; every question builds its own app

HERE = os.path.dirname(os.path.abspath(__file__))
BODY_CAP = 4096  # more than any answer a learner could predict; the check refuses long ones


def _forget_own_modules(folder: str) -> None:
    own = {name.removesuffix(".py") for name in os.listdir(folder)}
    for name in list(sys.modules):
        if name.split(".")[0] in own:
            del sys.modules[name]


def _build(entry: str) -> Flask:
    module_name, _, attr = entry.partition(":")
    target = getattr(importlib.import_module(module_name), attr)
    built = target if isinstance(target, Flask) else target()
    if not isinstance(built, Flask):
        raise TypeError(f"{entry} gave {type(built).__name__}, not a Flask application")
    return built


def _ask(spec: dict[str, Any]) -> dict[str, Any]:
    folder = os.path.join(HERE, spec["dir"])
    os.chdir(folder)
    sys.path[:] = [folder, *(p for p in sys.path if os.path.abspath(p or ".") != HERE)]
    _forget_own_modules(folder)
    question_app = _build(spec["entry"])
    request = dict(spec["request"])
    path, method = request.pop("path"), request.pop("method", "GET")
    if "headers" in request:
        request["headers"] = list(request["headers"].items())
    if "files" in request:  # uploads: the test client takes (stream, filename) in `data`
        uploads = {name: (io.BytesIO(f["content"].encode()), f["filename"])
                   for name, f in request.pop("files").items()}
        request["data"] = {**request.get("data", {}), **uploads}
    response = question_app.test_client().open(path, method=method, **request)
    return {"status": response.status_code,
            "body": response.get_data()[:BODY_CAP].decode("utf-8", errors="replace"),
            "body_bytes": len(response.get_data()),
            "mimetype": response.mimetype or None,
            "location": response.headers.get("Location")}


def answer(index: int) -> dict[str, Any]:
    """What question `index`'s app answers to its request (plain JSON)."""
    with open(os.path.join(HERE, "predict.json"), encoding="utf-8") as fh:
        spec = json.load(fh)[index]
    return contextvars.Context().run(_ask, spec)
