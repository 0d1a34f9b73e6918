"""The pytest plugin behind hidden and public tests: fixtures, points, and streamed results.

Configured by the GRADER_HARNESS environment variable (JSON). Tests never import learner code:
they reach the learner's app through `client`, `learner`, `cli`, `live_server` and
`learner_output`, all acting on one fresh learner process per test.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from . import learner_process as lp
from .responses import Response
from .scoring import allocate, failure_message
from .wire import is_plain

_STATE = pytest.StashKey[dict]()
_HARNESS: Harness | None = None
# what `record_property` may pass out of one test (quiz answers computed in the sandbox)
DATA_CAP = 16 * 1024


class Harness:
    """The suite-wide state: the zygote's control channel, the deadline and the results channel."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.entry = config.get("entry", "app:app")
        self.points = int(config.get("points", 100))
        self.feedback = config.get("feedback", "hints")
        self.deadline = lp.Deadline(float(config.get("timeout_s", 20)))
        self.nonce = config.get("nonce", "")
        results_fd = config.get("results_fd")
        self.results = os.fdopen(int(results_fd), "w", encoding="utf-8") if results_fd else None
        self.zygote: subprocess.Popen | None = None
        self.control = lp.ControlChannel(self._connect())
        self.oom_start = oom_kills()
        self.load_error: str | None = None
        self.spare: lp.LearnerProcess | None = None
        self.timeouts = 0
        self.collect_errors: list[str] = []

    def _connect(self) -> socket.socket:
        if self.config.get("control_fd") is not None:
            return socket.socket(fileno=int(self.config["control_fd"]))
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        package_root = Path(__file__).resolve().parents[len(__package__.split("."))]
        env = {**os.environ, "PYTHONPATH": str(package_root), "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("GRADER_HARNESS", None)
        code = f"import sys; from {__package__}.zygote import main; main(int(sys.argv[1]))"
        self.zygote = subprocess.Popen(
            [sys.executable, "-c", code, str(theirs.fileno())], pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL, cwd=self.config.get("app_dir"), env=env)
        theirs.close()
        return ours

    def load(self) -> None:
        """Tell the zygote where the app is, then build it once so a broken app fails fast."""
        self.control.request({"op": "load", "src": self.config["app_dir"], "entry": self.entry},
                             timeout=max(self.deadline.remaining(), 0.5))
        try:
            process = lp.LearnerProcess(self.control, self.deadline, {})
            process.ask({"op": "build"}, f"the import of {self.entry}")
        except lp.LearnerError as exc:
            self.load_error = (f"Your app could not be loaded from {self.entry}: "
                               f"{exc.learner_type}\n{exc.learner_traceback}".strip())
            return
        except lp.LearnerProblem as exc:
            self.load_error = str(exc)
            return
        self.spare = process

    def emit(self, record: dict[str, Any]) -> None:
        if self.results is None:
            return
        self.results.write(f"{self.nonce} {json.dumps(record, separators=(',', ':'))}\n")
        self.results.flush()

    def memory_exceeded(self) -> bool:
        return oom_kills() > self.oom_start

    def close(self) -> None:
        if self.spare is not None:
            self.spare.kill()
        if self.zygote is not None:
            self.zygote.kill()
            self.zygote.wait()


def oom_kills() -> int:
    """How many processes the kernel has killed for memory in this container's cgroup."""
    for path, key in (("/sys/fs/cgroup/memory.events", "oom_kill"),
                      ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill")):
        try:
            for line in Path(path).read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == key:
                    return int(value)
        except (OSError, ValueError):
            continue
    return 0


class Session:
    """One test's view of its learner process, created on first use."""

    def __init__(self, harness: Harness, env: dict[str, str]) -> None:
        self.harness = harness
        self.env = env
        self._process: lp.LearnerProcess | None = None

    @property
    def process(self) -> lp.LearnerProcess:
        if self._process is None:
            h = self.harness
            if h.load_error:
                raise lp.LearnerLoadError(h.load_error)
            if h.spare is not None and not self.env:
                self._process, h.spare = h.spare, None
            else:
                self._process = lp.LearnerProcess(h.control, h.deadline, self.env)
                try:
                    self._process.ask({"op": "build"}, f"the import of {h.entry}")
                except lp.LearnerError as exc:
                    raise lp.LearnerLoadError(f"{exc}\n{exc.learner_traceback}") from None
        return self._process

    def ask(self, message: dict, what: str) -> dict:
        try:
            return self.process.ask(message, what)
        except lp.LearnerCrash:
            if self.harness.memory_exceeded():
                raise lp.LearnerCrash(f"Your app was stopped during {what}: it used more memory "
                                      "than the limit allows") from None
            raise

    def output(self) -> str:
        return self.process.output.text() if self._process is not None else ""

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()


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
        return Response(self.session.ask(message, f"{method.upper()} {path}"))

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
        return self.session.ask({"op": "eval", "expr": str(expr)}, "an inspection of your app")["value"]

    def call(self, target: str, *args: Any, **kwargs: Any) -> Any:
        name = str(target).replace(":", ".")
        reply = self.session.ask({"op": "call", "target": str(target), "args": list(args),
                                  "kwargs": kwargs}, f"a call of {name}()")
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
    raw = os.environ.get("GRADER_HARNESS")
    if raw and _HARNESS is None:
        _HARNESS = Harness(json.loads(raw))


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


def _emit_test(item: pytest.Item, status: str, message: str) -> None:
    state = item.stash[_STATE]
    points = state["max_points"] if status == "passed" else 0
    if status == "timeout":
        _HARNESS.timeouts += 1
    record = {"type": "test", "id": item.nodeid, "title": state["title"], "status": status,
              "points": points, "max_points": state["max_points"], "message": message,
              "duration_ms": int(state["duration"] * 1000)}
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
        message = failure_message(exc, _HARNESS.feedback) if exc is not None else "The test failed."
        state["outcome"] = (status, message)
    elif report.skipped and state["outcome"] is None:
        state["outcome"] = ("failed", "This test was skipped, so it earns no points.")
    if report.when == "teardown":
        status, message = state["outcome"] or ("passed", "")
        _emit_test(item, status, message)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _HARNESS is None:
        return
    _HARNESS.emit({"type": "done", "load_error": _HARNESS.load_error,
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


@pytest.fixture
def client(_learner_session: Session) -> Client:
    return Client(_learner_session)


@pytest.fixture
def learner(_learner_session: Session) -> Learner:
    return Learner(_learner_session)


@pytest.fixture
def cli(_learner_session: Session):
    def invoke(*args: Any, input: str | None = None) -> CliResult:  # noqa: A002 - click's name
        reply = _learner_session.ask({"op": "cli", "args": [str(a) for a in args], "input": input},
                                     f"`flask {' '.join(str(a) for a in args)}`")
        return CliResult(int(reply.get("exit_code", 1)), str(reply.get("output", "")))

    return invoke


@pytest.fixture
def live_server(_learner_session: Session) -> str:
    # make_server has bound the socket before the learner process answers, so it is ready
    return str(_learner_session.ask({"op": "live_server"}, "starting a real server")["url"])


@pytest.fixture
def learner_output(_learner_session: Session):
    def read() -> str:
        return _learner_session.output()

    return read
