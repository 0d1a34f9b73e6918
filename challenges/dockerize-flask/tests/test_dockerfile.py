"""Hidden tests: the Dockerfile, read statically with dockerfile-parse."""

from __future__ import annotations

import io
import json
import shlex

import pytest
from dockerfile_parse import DockerfileParser


@pytest.fixture
def dockerfile(learner) -> DockerfileParser:
    text = learner.eval("open('Dockerfile', encoding='utf-8').read()")
    return DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")))


def instructions(parser: DockerfileParser) -> list[tuple[str, str]]:
    return [
        (i["instruction"], i["value"]) for i in parser.structure if i["instruction"] != "COMMENT"
    ]


def command_words(value: str) -> list[str]:
    try:
        words = json.loads(value)
    except ValueError:
        return shlex.split(value)
    return words if isinstance(words, list) else []


@pytest.mark.points(6)
def test_base_image(dockerfile):
    """The base image is a small Python image with a pinned version"""
    base = dockerfile.baseimage or ""
    name, _, tag = base.partition(":")
    assert name in ("python", "docker.io/library/python"), "Start from the official Python image"
    assert tag and tag != "latest" and tag[0].isdigit(), "Pin the Python version in the tag"
    assert "slim" in tag or "alpine" in tag, (
        "Prefer a slim variant: smaller and fewer vulnerabilities"
    )


@pytest.mark.points(12)
def test_dependencies_layer_first(dockerfile):
    """requirements.txt is copied and installed before the rest of the code"""
    steps = instructions(dockerfile)
    install = next(
        (
            i
            for i, (kind, value) in enumerate(steps)
            if kind == "RUN" and "pip install" in value and "requirements.txt" in value
        ),
        None,
    )
    assert install is not None, "Install the packages listed in requirements.txt"
    copies = [
        (i, " ".join(word for word in value.split() if not word.startswith("--")))
        for i, (kind, value) in enumerate(steps)
        if kind in ("COPY", "ADD")
    ]
    requirements = [i for i, value in copies if value.split()[0] == "requirements.txt"]
    everything = [i for i, value in copies if value.split()[0] in (".", "./")]
    assert requirements and requirements[0] < install, (
        "Copy requirements.txt on its own before installing"
    )
    assert everything and all(i > install for i in everything), (
        "Copying the code before installing rebuilds the dependency layer on every change"
    )
    assert "--no-cache-dir" in steps[install][1], "pip's download cache only makes the image bigger"


@pytest.mark.points(6)
def test_workdir_and_env(dockerfile):
    """A working directory is set and Python output is unbuffered"""
    kinds = [kind for kind, _ in instructions(dockerfile)]
    assert "WORKDIR" in kinds, "Set a WORKDIR instead of working in /"
    assert dockerfile.envs.get("PYTHONUNBUFFERED") == "1", "Without it, logs show up late or never"


@pytest.mark.points(12)
def test_runs_as_unprivileged_user(dockerfile):
    """The container does not run as root"""
    users = [value.split(":")[0] for kind, value in instructions(dockerfile) if kind == "USER"]
    assert users, "Switch to an unprivileged user"
    assert users[-1] not in ("root", "0"), "The last USER must not be root"
    steps = instructions(dockerfile)
    last_user = max(i for i, (kind, _) in enumerate(steps) if kind == "USER")
    cmd = max(i for i, (kind, _) in enumerate(steps) if kind in ("CMD", "ENTRYPOINT"))
    assert last_user < cmd, "Switch user before the command that starts the server"


@pytest.mark.points(14)
def test_starts_gunicorn_in_exec_form(dockerfile):
    """The container starts Gunicorn on the WSGI entry point, in exec form"""
    cmd = [value for kind, value in instructions(dockerfile) if kind in ("CMD", "ENTRYPOINT")]
    assert cmd, "Tell Docker how to start the app with CMD"
    assert cmd[-1].lstrip().startswith("["), (
        "Use the JSON (exec) form so the server gets signals and stops cleanly"
    )
    words = command_words(cmd[-1])
    assert words and words[0] == "gunicorn", (
        "Start a production WSGI server, not the development server"
    )
    assert "wsgi:app" in words, "Point Gunicorn at the WSGI entry point"


@pytest.mark.points(4)
def test_exposes_port(dockerfile):
    """The image documents the port it listens on"""
    exposed = [value.split("/")[0] for kind, value in instructions(dockerfile) if kind == "EXPOSE"]
    assert "8000" in exposed, "EXPOSE the port Gunicorn listens on"
