"""Every command the README shows exists and answers `--help`; the walk-through runs them."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```[a-z]*\n(.*?)```", README, flags=re.DOTALL)
COMMANDS = [line.split("#", 1)[0].strip() for block in BLOCKS for line in block.splitlines()
            if line.strip().startswith(("grader ", "flask --app grader", "make ", "python -m ",
                                        ".venv/bin/python "))]
BIN = Path(sys.executable).parent


def command_words(command: str) -> list[str]:
    """The command up to its first argument that is a value rather than a subcommand."""
    words = []
    for word in shlex.split(command.replace("|", " ").replace("[", " ").replace("]", " ")):
        if word.startswith("-") or word.isupper() or "/" in word or ":" in word or word.isdigit():
            break
        if words and words[0] == "flask" and word == "grader":
            words.append(word)
            continue
        words.append(word)
        if words[0] == "grader" and len(words) >= 2 and words[1] not in ("challenge",):
            break
        if words[0] == "grader" and len(words) >= 3:
            break
        if words[0] == "flask" and len(words) >= 5:
            break
    return words


def test_readme_shows_the_commands():
    assert any(c.startswith("make serve") for c in COMMANDS)
    assert any(c.startswith("make test") for c in COMMANDS)
    assert len(COMMANDS) >= 15


@pytest.mark.parametrize("command", sorted({c for c in COMMANDS if c.startswith("make ")}))
def test_make_targets_exist(command):
    target = shlex.split(command)[1]
    done = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("command", sorted({c for c in COMMANDS if c.startswith("grader ")}))
def test_grader_commands_answer_help(command):
    words = command_words(command)
    done = subprocess.run([str(BIN / "grader"), *words[1:], "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout


@pytest.mark.parametrize("command", sorted({c for c in COMMANDS if c.startswith("flask ")}))
def test_server_commands_answer_help(command, tmp_path):
    words = command_words(command)
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "GRADER_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite"}
    done = subprocess.run([str(BIN / "flask"), *words[1:], "--help"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout


@pytest.mark.parametrize("command", sorted({c for c in COMMANDS if "bench/" in c}))
def test_bench_scripts_answer_help(command):
    script = next(w for w in shlex.split(command) if w.startswith("bench/"))
    done = subprocess.run([sys.executable, script, "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
