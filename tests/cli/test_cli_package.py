"""The `grader` tool is a client: it loads no server code and stays quick to start."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout))


def test_the_command_line_tool_imports_no_server_code():
    modules = loaded_after("import grader.client.cli")
    server = {m for m in modules if m.startswith("grader.") and not m.startswith("grader.client")}
    assert server == set()
    assert not {"flask", "flask_sqlalchemy", "sqlalchemy", "socketio"} & modules


def test_following_a_submission_loads_the_socketio_client_only_then():
    modules = loaded_after("from grader.client.http import LiveFeed\nLiveFeed('http://x', None)")
    assert "socketio" in modules
    assert not {"flask", "sqlalchemy"} & modules


SERVER_ONLY = ("docker", "celery", "psycopg", "gunicorn", "redis", "sqlalchemy",
               "flask_sqlalchemy", "flask_socketio", "flask_login", "flask_migrate", "flask_wtf",
               "apispec", "marshmallow", "kombu", "markdown", "nh3")
BLOCKER = """
import importlib.abc, sys

class ServerPackagesAreNotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, ServerPackagesAreNotInstalled())
"""


def test_a_learners_install_pulls_no_server_packages():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {dep.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower()
             for dep in project["dependencies"]}
    assert names == {"flask", "click", "requests", "python-socketio", "websocket-client",
                     "pytest"}
    server = {dep.split(">")[0].split("[")[0] for dep in project["optional-dependencies"]["server"]}
    assert {"docker", "celery", "psycopg", "gunicorn", "flask-sqlalchemy"} <= server


def test_grader_test_runs_without_the_server_packages(tmp_path):
    """`grader test` with every server-only package made unimportable, in every process."""
    hello = ROOT / "challenges" / "hello-flask"
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER.format(blocked=set(SERVER_ONLY)))
    folder = tmp_path / "hello-flask"
    shutil.copytree(hello / "solution", folder)
    shutil.copytree(hello / "public_tests", folder / "public_tests")
    (folder / ".grader.json").write_text(json.dumps(
        {"slug": "hello-flask", "entry": "app:app", "files": ["app.py"], "server": None}))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]),
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    probe = subprocess.run([sys.executable, "-c", "import docker"], env=env,
                           capture_output=True, text=True)
    assert probe.returncode != 0 and "No module named 'docker'" in probe.stderr
    result = subprocess.run([sys.executable, "-m", "grader.client", "test", "--json"],
                            cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["status"] == "passed"
