"""The `grader` tool is a client: it loads no server code and stays quick to start."""

from __future__ import annotations

import json
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
