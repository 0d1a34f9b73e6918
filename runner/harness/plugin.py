"""The pytest plugin behind hidden and public tests: fixtures, points, and streamed results.

Configured by the GRADER_HARNESS environment variable (JSON). Tests never import learner code:
they reach the learner's app through `client`, `learner`, `cli`, `live_server` and
`learner_output`, all acting on one fresh learner process per test.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from typing import Any

import pytest

from . import learner_process as lp
from .hints import Doing
from .responses import Response
from .scoring import allocate, failure_message
from .suite import Harness, Session, oom_kills
from .wire import is_plain

_STATE = pytest.StashKey[dict]()
_HARNESS: Harness | None = None
_CONFIG: dict[str, Any] | None = None  # handed over in-process by the container's harness
LIVE_URL = re.compile(r"^http://127\.0\.0\.1:(\d{1,5})$")
# what `record_property` may pass out of one test (quiz answers computed in the sandbox)
DATA_CAP = 16 * 1024


def use_config(config: dict[str, Any]) -> None:
    """Configure the harness without an environment variable (the container's way)."""
    global _CONFIG
    _CONFIG = config


def _encode_data(data: Any) -> dict:
    if isinstance(data, str):
        return {"kind": "text", "value": data}
    if isinstance(data, (bytes, bytearray)):
        return {"kind": "bytes", "b64": base64.b64encode(bytes(data)).decode()}
    if isinstance(data, dict):
        fields = []
        for name, value in data.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, tuple):
                    content, filename = item[0], item[1] if len(item) > 1 else "upload"
                    if hasattr(content, "read"):
                        content = content.read()
                    if isinstance(content, str):
                        content = content.encode()
                    fields.append([str(name), {"kind": "file", "filename": str(filename),
                                               "b64": base64.b64encode(content).decode()}])
                else:
                    fields.append([str(name), {"kind": "text", "value": str(item)}])
        return {"kind": "form", "fields": fields}
    raise TypeError(f"client data must be str, bytes or dict, not {type(data).__name__}")


class Client:
    """The `client` fixture: Flask's test client, across the process boundary."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def open(self, path: str = "/", method: str = "GET", **kwargs: Any) -> Response:
        message: dict[str, Any] = {"op": "request", "path": path, "method": method.upper()}
        for key in ("query_string", "json", "content_type", "follow_redirects"):
            if key in kwargs and kwargs[key] is not None:
                message[key] = kwargs.pop(key)
        headers = kwargs.pop("headers", None)
        if headers:
            message["headers"] = [[str(k), str(v)] for k, v in
                                  (headers.items() if isinstance(headers, dict) else headers)]
        if kwargs.get("data") is not None:
            message["data"] = _encode_data(kwargs.pop("data"))
        kwargs.pop("data", None)
        if kwargs:
            raise TypeError(f"client does not support: {', '.join(sorted(kwargs))}")
        query = message.get("query_string")
        shown = f"{path}?{query}" if isinstance(query, str) and query else path
        if isinstance(query, dict) and query:
            shown = f"{path} with {query!r}"
        doing = self.session.harness.facts.request(method.upper(), str(path), str(shown))
        reply = self.session.ask(message, doing)
        try:
            return Response(reply)
        except (ValueError, binascii.Error):
            raise lp.LearnerCrash(f"Your app's process sent a malformed answer during "
                                  f"{doing.public}") from None

    def get(self, path: str = "/", **kw: Any) -> Response:
        return self.open(path, "GET", **kw)

    def post(self, path: str = "/", **kw: Any) -> Response:
        return self.open(path, "POST", **kw)

    def put(self, path: str = "/", **kw: Any) -> Response:
        return self.open(path, "PUT", **kw)

    def patch(self, path: str = "/", **kw: Any) -> Response:
        return self.open(path, "PATCH", **kw)

    def delete(self, path: str = "/", **kw: Any) -> Response:
        return self.open(path, "DELETE", **kw)

    def head(self, path: str = "/", **kw: Any) -> Response:
        return self.open(path, "HEAD", **kw)

    def options(self, path: str = "/", **kw: Any) -> Response:
        return self.open(path, "OPTIONS", **kw)


class Learner:
    """The `learner` fixture: introspection of the learner's app, with plain data only."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def eval(self, expr: str) -> Any:
        doing = Doing("an inspection of your app", f"the inspection `{expr}`")
        return self.session.ask({"op": "eval", "expr": str(expr)}, doing)["value"]

    def call(self, target: str, *args: Any, **kwargs: Any) -> Any:
        name = str(target).replace(":", ".")
        arguments = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
        doing = Doing(f"a call of {name}()", f"a call of {name}({arguments})")
        reply = self.session.ask({"op": "call", "target": str(target), "args": list(args),
                                  "kwargs": kwargs}, doing)
        return reply["value"]


class CliResult:
    def __init__(self, exit_code: int, output: str) -> None:
        self.exit_code = exit_code
        self.output = output

    def __repr__(self) -> str:
        return f"<CliResult exit_code={self.exit_code}>"


# -- pytest hooks and fixtures ---------------------------------------------------------------

def pytest_configure(config: pytest.Config) -> None:
    global _HARNESS
    config.addinivalue_line("markers", "points(n): the test's weight in the challenge's points")
    config.addinivalue_line("markers", "learner_env(**vars): environment of the learner process")
    # Read once and removed: nothing the tests start inherits the nonce or the descriptors.
    raw = os.environ.pop("GRADER_HARNESS", None)
    settings = _CONFIG if _CONFIG is not None else json.loads(raw) if raw else None
    if settings is not None and _HARNESS is None:
        _HARNESS = Harness(settings)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed and _HARNESS is not None:
        _HARNESS.collect_errors.append(report.nodeid or "collection")


def _title(item: pytest.Item) -> str:
    doc = getattr(getattr(item, "function", None), "__doc__", None) or ""
    title = doc.strip().splitlines()[0].strip() if doc.strip() else item.name
    callspec = getattr(item, "callspec", None)
    return f"{title} [{callspec.id}]" if callspec is not None and doc.strip() else title


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    if _HARNESS is None:
        return
    weights = []
    for item in items:
        marker = item.get_closest_marker("points")
        weights.append(float(marker.args[0]) if marker and marker.args else 1.0)
    for item, share in zip(items, allocate(_HARNESS.points, weights), strict=True):
        item.stash[_STATE] = {"max_points": share, "title": _title(item), "duration": 0.0,
                              "outcome": None}
    _HARNESS.emit({"type": "plan", "tests": [
        {"id": item.nodeid, "title": item.stash[_STATE]["title"],
         "max_points": item.stash[_STATE]["max_points"]} for item in items]})
    if items and not _HARNESS.collect_errors:
        _HARNESS.load()


def recorded_data(item: pytest.Item) -> dict[str, Any]:
    """The test's `record_property` values: plain JSON only, at most DATA_CAP bytes in all.

    A value that is not plain data is left out, and so is everything when the whole is too
    large, so a record never grows past what the host accepts.
    """
    data = {str(name): value for name, value in item.user_properties if is_plain(value)}
    try:
        size = len(json.dumps(data, separators=(",", ":"), allow_nan=False))
    except ValueError:  # NaN or infinity: not JSON
        return {}
    return data if data and size <= DATA_CAP else {}


def _emit_test(item: pytest.Item, status: str, message: str, detail: str = "") -> None:
    state = item.stash[_STATE]
    points = state["max_points"] if status == "passed" else 0
    if status == "timeout":
        _HARNESS.timeouts += 1
    record = {"type": "test", "id": item.nodeid, "title": state["title"], "status": status,
              "points": points, "max_points": state["max_points"], "message": message,
              "detail": detail or message, "duration_ms": int(state["duration"] * 1000)}
    data = recorded_data(item)
    if data:
        record["data"] = data
    _HARNESS.emit(record)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    if _HARNESS is not None and _STATE in item.stash and _HARNESS.deadline.remaining() <= 0:
        _emit_test(item, "timeout", f"Not run: the time limit of {_HARNESS.deadline.seconds:g} s "
                                    "was reached before this test")
        return True
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _HARNESS is not None and _STATE in item.stash:
        item.stash[_STATE]["oom_before"] = oom_kills()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if _HARNESS is None or _STATE not in item.stash:
        return
    state = item.stash[_STATE]
    state["duration"] += report.duration
    if report.failed and state["outcome"] is None:
        exc = call.excinfo.value if call.excinfo is not None else None
        if isinstance(exc, lp.LearnerProblem):
            status = exc.status
        elif report.when == "call":
            status = "failed"
        else:
            status = "error"
        if exc is None:
            state["outcome"] = (status, "The test failed.", "")
        else:
            state["outcome"] = (status, failure_message(exc, _HARNESS.feedback),
                                failure_message(exc, "full"))
    elif report.skipped and state["outcome"] is None:
        state["outcome"] = ("failed", "This test was skipped, so it earns no points.", "")
    if report.when == "teardown":
        status, message, detail = state["outcome"] or ("passed", "", "")
        if status != "passed" and oom_kills() > state.get("oom_before", oom_kills()):
            # the kernel stopped a learner process during this test: that is what failed it
            message = _HARNESS.memory_message("this test")
            detail = f"{message}\n{detail}" if detail else message
            status = "memory"
        _emit_test(item, status, message, detail)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _HARNESS is None:
        return
    _HARNESS.emit({"type": "done", "load_error": _HARNESS.load_error,
                   "load_detail": _HARNESS.load_detail, "load_status": _HARNESS.load_status,
                   "collect_errors": _HARNESS.collect_errors,
                   "memory": _HARNESS.memory_exceeded(), "timeouts": _HARNESS.timeouts,
                   "exitstatus": int(exitstatus)})
    _HARNESS.close()


def _harness() -> Harness:
    if _HARNESS is None:
        raise RuntimeError("the grader fixtures need GRADER_HARNESS; run tests with `grader test`")
    return _HARNESS


@pytest.fixture
def _learner_session(request: pytest.FixtureRequest):
    env: dict[str, str] = {}
    for marker in reversed(list(request.node.iter_markers("learner_env"))):
        env.update({str(k): str(v) for k, v in marker.kwargs.items()})
    session = Session(_harness(), env)
    yield session
    session.close()
    session.harness.sweep()


@pytest.fixture
def client(_learner_session: Session) -> Client:
    return Client(_learner_session)


@pytest.fixture
def learner(_learner_session: Session) -> Learner:
    return Learner(_learner_session)


@pytest.fixture
def cli(_learner_session: Session):
    def invoke(*args: Any, input: str | None = None) -> CliResult:
        words = [str(a) for a in args]
        doing = _learner_session.harness.facts.command(words)
        reply = _learner_session.ask({"op": "cli", "args": words, "input": input}, doing)
        return CliResult(reply["exit_code"], reply["output"])

    return invoke


@pytest.fixture
def live_server(_learner_session: Session) -> str:
    # make_server has bound the socket before the learner process answers, so it is ready
    doing = Doing("starting a real server", "starting a real server")
    url = _learner_session.ask({"op": "live_server"}, doing)["url"]
    # Tests connect wherever this says: only a port on the sandbox's own loopback is accepted.
    match = LIVE_URL.match(url)
    if match is None or not 0 < int(match.group(1)) < 65536:
        raise lp.LearnerCrash("Your app's process did not start a server on 127.0.0.1",
                              f"Your app's process answered {url[:200]!r} for the server address")
    return url


@pytest.fixture
def learner_output(_learner_session: Session):
    def read() -> str:
        return _learner_session.output()

    return read
