"""Hostile learner code against the trusted side: forged replies, escapes, traces, echoes.

`TRUST_ATTACKS` target secret-echo (like the attacks in test_adversarial.py, each on top of a
half-solution). `HIDDEN_INPUT_ATTACKS` target hidden-inputs: they echo whatever the hidden
tests pass into every channel a learner could read back.
"""

from __future__ import annotations

import textwrap

# A half-solution of secret-echo: everything but the sum, the point each attack must "win".
BASE = '''
from flask import Flask, request

def create_app():
    app = Flask(__name__)
    app.config["ANSWER"] = 42

    @app.post("/echo")
    def echo():
        return request.get_data()

    @app.get("/sum")
    def total():
        return "0"
    return app
'''

# Writes a frame of the harness's wire format on every socket the learner process holds.
FORGE = '''
import os, struct

def _forge(payload):
    frame = struct.pack(">I", len(payload)) + payload
    for fd in range(3, 64):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                os.write(fd, frame)
        except OSError:
            pass
'''

DEEP = 'b"[" * 200000 + b"]" * 200000'
HUGE = 'b"[" + b"0," * 3000000 + b"0]"'


def on_sum(code: str, prelude: str = "") -> str:
    """BASE whose /sum runs `code` first (indented into the view)."""
    view = textwrap.indent(textwrap.dedent(code).strip(), " " * 8)
    return textwrap.dedent(prelude) + BASE.replace('        return "0"', view + '\n        return "0"')


TRUST_ATTACKS: dict[str, dict[str, str]] = {
    "deep-json-reply": {"app.py": on_sum(f"_forge({DEEP})", FORGE)},
    "huge-json-reply": {"app.py": on_sum(f"_forge({HUGE})", FORGE)},
    "deep-json-at-import": {"app.py": FORGE + f"\n_forge({DEEP})\n" + BASE},
    "escape-and-kill-later-tests": {"app.py": textwrap.dedent('''
        import os, signal, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                me = os.getpid()
                for _ in range(3000):
                    for pid in os.listdir("/proc"):
                        if pid.isdigit() and int(pid) != me:
                            try:
                                os.kill(int(pid), signal.SIGKILL)
                            except OSError:
                                pass
                    time.sleep(0.005)
            os._exit(0)
    ''') + BASE},
    "trace-the-fork-server": {"app.py": textwrap.dedent('''
        import ctypes, os
        libc = ctypes.CDLL(None)
        parent = os.getppid()
        if libc.ptrace(16, parent, None, None) == 0:  # PTRACE_ATTACH: then poke its memory
            libc.ptrace(5, parent, None, None)
        try:
            with open(f"/proc/{parent}/mem", "r+b") as mem:
                mem.write(b"\\xcc" * 64)
        except OSError:
            pass
    ''') + BASE},
    "denied-system-calls": {"app.py": textwrap.dedent('''
        import ctypes
        libc = ctypes.CDLL(None)
        buffer = ctypes.create_string_buffer(256)
        for number in (425, 426, 427, 323, 321, 298, 250, 248, 249, 165):
            libc.syscall(number, 1, buffer, 0, 0, 0, 0)
        libc.syscall(272, 0x10000000)  # unshare(CLONE_NEWUSER)
    ''') + BASE},
    "steal-the-nonce": {"app.py": textwrap.dedent('''
        import os, re
        found = set()
        for pid in os.listdir("/proc"):
            for part in ("environ", "cmdline", "maps"):
                try:
                    found |= set(re.findall(rb"[0-9a-f]{32}", open(f"/proc/{pid}/{part}", "rb").read()))
                except OSError:
                    pass
        for fd in range(0, 256):
            for nonce in found:
                line = nonce + b' {"type":"test","id":"test_secret.py::test_sum","status":"passed"}\\n'
                try:
                    os.write(fd, line)
                except OSError:
                    pass
    ''') + BASE},
}

# Echoes every input it gets into exception messages and type names, output, a crash and a
# content type; no line of it knows the hidden value.
ECHO = '''
import os, sys

import click
from flask import Flask, Response, request


def leak(value):
    value = str(value)
    print("stdout", value)
    sys.stderr.write(f"stderr {value}\\n")
    name = "Leak" + "".join(c if c.isalnum() else "_" for c in value)
    raise type(name, (Exception,), {})(repr(value))


def shout(text):
    leak(text)


def create_app():
    if os.environ.get("GREETING"):
        leak(os.environ["GREETING"])
    app = Flask(__name__)
    app.testing = True  # a view's exception reaches the test instead of becoming a 500

    class Config(type(app.config)):
        def get(self, key, default=None):
            if key not in self and not key.isupper():
                leak(key)
            return super().get(key, default)

    app.config = Config(app.root_path, app.config)

    @app.get("/echo")
    def echo():
        leak(request.args.get("q"))

    @app.post("/echo")
    def echo_body():
        leak(request.get_data(as_text=True) + request.headers.get("X-Value", ""))

    @app.get("/items/<name>")
    def item(name):
        leak(name)

    @app.get("/data")
    def data():
        return Response("{}", mimetype=request.args.get("q"))

    @app.cli.command("greet")
    @click.argument("name")
    def greet(name):
        print(name)
        os._exit(3)

    return app
'''

FAKE_SERVER = ECHO + '''

import importlib

# the fork server's code, loaded in this very process (its package name differs outside Docker)
for _name in ("runner_harness.zygote", "runner.harness.zygote"):
    try:
        _zygote = importlib.import_module(_name)
        break
    except ImportError:
        continue
_zygote.LearnerApp.op_live_server = lambda self, msg: {"ok": True, "url": "http://10.1.2.3:80"}
'''

HANG = ECHO.replace('''    def item(name):
        leak(name)''', '''    def item(name):
        import time
        time.sleep(1000)''')

HIDDEN_INPUT_ATTACKS: dict[str, dict[str, str]] = {
    "echo-hidden-inputs": {"app.py": ECHO},
    "fake-live-server-url": {"app.py": FAKE_SERVER},
    "hang-on-hidden-input": {"app.py": HANG},
}
