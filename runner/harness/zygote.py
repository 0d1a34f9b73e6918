"""The learner side: a fork server that gives every test a fresh process running the learner's app.

This runs as the learner's uid. It pre-imports Flask before the job arrives, then, per test, forks a
child that copies the learner's folder, builds the app from the entry point and answers the
harness's requests (HTTP through the test client, eval, call, CLI, a live server). Nothing here is
trusted: the harness treats every answer as plain data that may be wrong.
"""

from __future__ import annotations

import ast
import base64
import builtins
import importlib
import io
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import traceback
from typing import Any

from . import collect_from_here, wire

PREIMPORT = ("flask", "flask.testing", "flask.cli", "werkzeug.serving", "jinja2", "click.testing")
MAX_BODY = 8 * 1024 * 1024
MAX_TRACE = 4000
MAX_RULES = 500
PR_SET_DUMPABLE = 4


def _preimport(names: list[str] | tuple[str, ...]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: BLE001 - a module that fails here will fail for the learner too
            pass


def third_party_imports(src: str) -> list[str]:
    """Top-level modules the learner's files import that are not the learner's own modules."""
    own = {name.split(".")[0] for name in os.listdir(src)}
    own |= {n[:-3] for n in own if n.endswith(".py")}
    found: list[str] = []
    for root, _dirs, files in os.walk(src):
        for filename in files:
            if not filename.endswith(".py"):
                continue
            try:
                with open(os.path.join(root, filename), encoding="utf-8") as fh:
                    tree = ast.parse(fh.read())
            except (SyntaxError, ValueError, OSError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    if name.split(".")[0] not in own and name not in found:
                        found.append(name)
    return found


class LearnerApp:
    """One test's learner process: the app and what the harness may ask of it."""

    def __init__(self, src: str, entry: str) -> None:
        self.workdir = tempfile.mkdtemp(prefix="app-", dir=os.environ.get("GRADER_WORK_ROOT"))
        shutil.copytree(src, self.workdir, dirs_exist_ok=True)
        os.chdir(self.workdir)
        sys.path.insert(0, self.workdir)
        self.entry = entry
        self.app: Any = None
        self.test_client: Any = None
        self.server_url: str | None = None

    # -- helpers -------------------------------------------------------------------------------
    def learner_trace(self, exc: BaseException) -> str:
        """The traceback without the harness's own frames, with paths relative to the app."""
        frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
                  if not is_harness_file(frame.filename)]
        lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames),
                 *traceback.format_exception_only(type(exc), exc)]
        text = "".join(lines if frames else lines[1:])
        return text.replace(self.workdir + os.sep, "")[-MAX_TRACE:]

    def where(self, exc: BaseException) -> tuple[str, int]:
        """The learner's own file and line where `exc` arose ("", 0 when none is theirs)."""
        if isinstance(exc, SyntaxError) and exc.filename:
            return self.relative(exc.filename), int(exc.lineno or 0)
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.startswith(self.workdir + os.sep):
                return self.relative(frame.filename), int(frame.lineno or 0)
        return "", 0

    def relative(self, filename: str) -> str:
        return filename[len(self.workdir) + 1:] if filename.startswith(self.workdir + os.sep) else ""

    def failure(self, exc: BaseException) -> dict[str, Any]:
        """An error reply; the trusted side trusts none of it and shows only what it can check."""
        file, line = self.where(exc)
        code = exc.code if isinstance(exc, CodedError) else ""
        return {"ok": False, "error": {"type": type(exc).__name__, "message": str(exc)[:2000],
                                       "traceback": self.learner_trace(exc), "file": file,
                                       "line": line, "code": code}}

    def build(self) -> None:
        from flask import Flask

        module_name, _, attr = self.entry.partition(":")
        module = importlib.import_module(module_name)
        target = getattr(module, attr, None)
        if target is None:
            raise CodedError("no_entry", f"{module_name}.py has no {attr!r}; the challenge "
                             f"expects {self.entry}")
        app = target if isinstance(target, Flask) else target() if callable(target) else target
        if not isinstance(app, Flask):
            raise CodedError("not_flask", f"{self.entry} gave {type(app).__name__}, not a Flask "
                             "application")
        self.app = app

    def resolve(self, target: str) -> Any:
        module_name, _, attr_path = target.partition(":")
        obj: Any = importlib.import_module(module_name)
        for part in attr_path.split("."):
            obj = getattr(obj, part)
        return obj

    # -- operations ----------------------------------------------------------------------------
    def op_build(self, _msg: dict) -> dict:
        self.build()
        # Reported before any input of a hidden test exists here: the trusted side names a
        # failing request by its rule, and a command by its name, only from these lists.
        rules = [rule.rule for rule in self.app.url_map.iter_rules()][:MAX_RULES]
        commands = sorted(self.app.cli.commands)[:MAX_RULES]
        return {"ok": True, "rules": rules, "commands": commands}

    def op_request(self, msg: dict) -> dict:
        if self.test_client is None:
            self.test_client = self.app.test_client()
        kwargs: dict[str, Any] = {"method": msg.get("method", "GET")}
        for key in ("query_string", "json", "content_type", "follow_redirects"):
            if key in msg:
                kwargs[key] = msg[key]
        if msg.get("headers"):
            kwargs["headers"] = [tuple(h) for h in msg["headers"]]
        if "data" in msg:
            kwargs["data"] = decode_data(msg["data"])
        response = self.test_client.open(msg.get("path", "/"), **kwargs)
        body = response.get_data()
        truncated = len(body) > MAX_BODY
        return {"ok": True, "status": response.status_code,
                "headers": [[k, v] for k, v in response.headers.items()],
                "body": base64.b64encode(body[:MAX_BODY]).decode("ascii"), "truncated": truncated,
                "request_path": getattr(response.request, "path", msg.get("path", "/"))}

    def op_eval(self, msg: dict) -> dict:
        with self.app.app_context():
            value = eval(msg["expr"], {"app": self.app, "__builtins__": builtins})
        return plain_result(value)

    def op_call(self, msg: dict) -> dict:
        func = self.resolve(msg["target"])
        with self.app.app_context():
            value = func(*msg.get("args", []), **msg.get("kwargs", {}))
        return plain_result(value)

    def op_cli(self, msg: dict) -> dict:
        from flask.cli import cli as flask_cli

        runner = self.app.test_cli_runner()
        result = runner.invoke(flask_cli, args=[str(a) for a in msg.get("args", [])],
                               input=msg.get("input"), catch_exceptions=True)
        output = result.output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            output += self.learner_trace(result.exception)
        return {"ok": True, "exit_code": result.exit_code, "output": output[-MAX_BODY:]}

    def op_live_server(self, _msg: dict) -> dict:
        if self.server_url is None:
            from werkzeug.serving import make_server

            socketio = self.app.extensions.get("socketio")
            if socketio is None:
                server = make_server("127.0.0.1", 0, self.app, threaded=True)
            else:
                server = make_server("127.0.0.1", 0, self.app, threaded=True,
                                     request_handler=socketio_request_handler(socketio))
            # make_server has bound and is listening: a client that connects now waits in the
            # backlog until the thread accepts it, so the server is ready once we answer
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.server_url = f"http://127.0.0.1:{server.server_port}"
        return {"ok": True, "url": self.server_url}

    def serve(self, conn: socket.socket) -> None:
        while True:
            try:
                msg = wire.recv(conn)
            except (wire.WireError, OSError):
                return
            op = getattr(self, f"op_{msg.get('op')}", None) if isinstance(msg, dict) else None
            if op is None:
                reply: dict = {"ok": False, "error": {"type": "ProtocolError", "message": "unknown op",
                                                      "traceback": "", "code": "protocol"}}
            elif self.app is None and msg.get("op") != "build":
                reply = {"ok": False, "error": {"type": "RuntimeError", "traceback": "",
                                                "message": "the app was not built",
                                                "code": "protocol"}}
            else:
                try:
                    reply = op(msg)
                except BaseException as exc:  # noqa: BLE001 - every learner failure is reported
                    reply = self.failure(exc)
            sys.stdout.flush()
            sys.stderr.flush()
            try:
                wire.send(conn, reply)
            except (wire.WireError, OSError, ValueError) as exc:
                wire.send(conn, self.failure(exc))


def socketio_request_handler(socketio: Any) -> type:
    """The request handler that serves a Flask-SocketIO app the way `socketio.run()` does.

    In threading mode `socketio.run(app)` is Werkzeug's threaded server in front of the app, whose
    `wsgi_app` Flask-SocketIO has wrapped; simple-websocket takes over the connection of each
    WebSocket upgrade. Only threading mode runs here: eventlet and gevent are not installed.
    """
    from werkzeug.serving import WSGIRequestHandler

    mode = getattr(getattr(socketio, "server", None), "async_mode", None)
    if mode != "threading":
        raise RuntimeError(f"Flask-SocketIO runs here in async_mode 'threading', not {mode!r}: "
                           "create SocketIO(app, async_mode='threading') or leave async_mode out")
    # without it Flask-SocketIO falls back to long-polling and WebSocket clients cannot connect
    import simple_websocket  # noqa: F401

    class SocketIORequestHandler(WSGIRequestHandler):
        def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
            # simple-websocket ends a finished WebSocket with ConnectionError; the socket is not
            # HTTP any more, and reading a next request from it would log a bogus 400
            self.close_connection = True

    return SocketIORequestHandler


def is_harness_file(filename: str) -> bool:
    """Frames of the harness or of the import machinery: noise in a learner's traceback."""
    here = os.path.dirname(os.path.abspath(__file__))
    return (filename.startswith(("<frozen ", here)) or os.path.dirname(filename) == here
            or os.path.dirname(filename) == os.path.dirname(importlib.__file__))


def decode_data(data: Any) -> Any:
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "text":
        return data["value"]
    if kind == "bytes":
        return base64.b64decode(data["b64"])
    if kind == "form":
        form: dict[str, Any] = {}
        for name, value in data["fields"]:
            if value.get("kind") == "file":
                item: Any = (io.BytesIO(base64.b64decode(value["b64"])), value.get("filename", "upload"))
            else:
                item = value["value"]
            form.setdefault(name, []).append(item)
        return {k: v[0] if len(v) == 1 else v for k, v in form.items()}
    raise ValueError("unsupported data encoding")


class CodedError(Exception):
    """A failure the harness names itself (by `code`), whatever text came with it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def plain_result(value: Any) -> dict:
    if not wire.is_plain(value):
        raise CodedError("not_plain", f"the result is a {type(value).__name__}, not plain JSON "
                         "data (dict, list, str, int, float, bool or None)")
    return {"ok": True, "value": value}


def _unbuffered_stdio() -> None:
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", 0), encoding="utf-8", errors="replace",
                                  line_buffering=True, write_through=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", 0), encoding="utf-8", errors="replace",
                                  line_buffering=True, write_through=True)


def run_child(conn_fd: int, out_fd: int, src: str, entry: str, env: dict[str, str]) -> None:
    """In the forked child: wire stdio to the output pipe and serve one test."""
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    os.close(out_fd)
    _unbuffered_stdio()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.environ.update({str(k): str(v) for k, v in env.items()})
    conn = socket.socket(fileno=conn_fd)
    try:
        LearnerApp(src, entry).serve(conn)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def main(control_fd: int | None = None) -> None:
    """Serve fork requests on the control socket until it closes."""
    if control_fd is None:
        control_fd = int(sys.argv[1])
    set_dumpable(False)
    _preimport(PREIMPORT)
    collect_from_here()
    control = socket.socket(fileno=control_fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    src = entry = ""
    while True:
        try:
            msg, fds = wire.recv_packet(control)
        except (wire.WireError, OSError):
            return
        _reap()
        op = msg.get("op") if isinstance(msg, dict) else None
        if op == "load":
            src, entry = msg["src"], msg["entry"]
            sys.path.insert(0, src)  # so pre-imports see the learner's own modules as theirs
            _preimport(third_party_imports(src))
            sys.path.remove(src)
            collect_from_here()
            wire.send_packet(control, {"ok": True})
        elif op == "spawn" and len(fds) == 2:
            pid = os.fork()
            if pid == 0:
                try:
                    os.setsid()
                    control.close()
                    set_dumpable(True)
                    run_child(fds[0], fds[1], src, entry, msg.get("env") or {})
                finally:
                    os._exit(0)
            for fd in fds:
                os.close(fd)
            wire.send_packet(control, {"ok": True, "pid": pid})
        elif op == "kill":
            try:
                os.killpg(int(msg["pid"]), signal.SIGKILL)
            except (OSError, ValueError, KeyError):
                pass
            _reap()
            wire.send_packet(control, {"ok": True})
        else:
            for fd in fds:
                os.close(fd)
            wire.send_packet(control, {"ok": False})


def set_dumpable(dumpable: bool) -> None:
    """Whether processes of this uid may ptrace this one or read its memory through /proc.

    The fork server is not dumpable: the code of each test runs under the same uid and must not
    be able to trace it and change what later tests get. Each test's process is made dumpable
    again, so its own /proc entries stay readable to it (it only ever holds its own test).
    """
    if sys.platform != "linux":
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, int(dumpable), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def _reap() -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


if __name__ == "__main__":
    main()
