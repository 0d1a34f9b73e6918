"""Hidden tests: the Procfile starts Gunicorn on $PORT."""

from __future__ import annotations

import re
import shlex

import pytest


def web_command(learner) -> list[str]:
    text = learner.eval("open('Procfile', encoding='utf-8').read()")
    for line in text.splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() == "web":
            return shlex.split(command)
    return []


def bind_address(args: list[str]) -> str:
    for i, arg in enumerate(args):
        if arg in ("-b", "--bind") and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--bind="):
            return arg.split("=", 1)[1]
        if arg.startswith("-b") and len(arg) > 2:
            return arg[2:]
    return ""


@pytest.mark.points(10)
def test_web_process_uses_gunicorn(learner):
    """The web process runs Gunicorn, not a development server"""
    args = web_command(learner)
    assert args, "Declare a web process in the Procfile"
    assert args[0] == "gunicorn", "Production needs a production WSGI server"


@pytest.mark.points(10)
def test_binds_to_platform_port(learner):
    """Gunicorn listens on every interface on $PORT"""
    address = bind_address(web_command(learner))
    assert re.fullmatch(r"(0\.0\.0\.0)?:\$(PORT|\{PORT\})", address), (
        "Listen on all interfaces, on the port the platform gives you"
    )


@pytest.mark.points(5)
def test_procfile_target_loads(learner):
    """Gunicorn can load the app target named in the Procfile"""
    args = [a for a in web_command(learner) if ":" in a and not a.startswith("-") and "$" not in a]
    assert args, "Name the app for Gunicorn as module:callable"
    target = args[-1]
    expr = f"type(__import__('gunicorn.util', fromlist=['import_app']).import_app({target!r})).__name__"
    assert learner.eval(expr) == "Flask", "Gunicorn should get a Flask app from this target"
