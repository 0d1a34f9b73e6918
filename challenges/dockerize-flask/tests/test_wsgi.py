"""Hidden tests: the WSGI entry point and Gunicorn, for real."""

from __future__ import annotations

import socket
import time

import pytest
import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.points(14)
def test_entry_point_serves_the_app(client, learner):
    """wsgi.py exposes the app, built once, with debug off"""
    assert learner.eval("__import__('wsgi').app is app"), "wsgi.py should expose the app as app"
    assert learner.eval("app.debug") is False, "The production entry point never enables debug"
    assert client.get("/health").get_json()["status"] == "ok", (
        "The app behind wsgi:app should answer"
    )


@pytest.mark.learner_env(PORT="9123", WEB_CONCURRENCY="3")
@pytest.mark.points(14)
def test_gunicorn_settings_from_environment(learner):
    """gunicorn.conf.py binds 0.0.0.0:$PORT with $WEB_CONCURRENCY workers"""
    settings = learner.eval(
        "{k: v for k, v in __import__('runpy').run_path('gunicorn.conf.py').items()"
        " if k in ('bind', 'workers')}"
    )
    bind = settings.get("bind")
    bind = bind[0] if isinstance(bind, list) and bind else bind
    assert bind == "0.0.0.0:9123", "Listen on every interface of the container, on $PORT"
    assert settings.get("workers") == 3, (
        "Read the number of workers from WEB_CONCURRENCY, as a number"
    )


@pytest.mark.points(6)
def test_gunicorn_defaults(learner):
    """Without PORT, Gunicorn listens on port 8000"""
    settings = learner.eval(
        "(lambda os: (os.environ.pop('PORT', None), os.environ.pop('WEB_CONCURRENCY', None),"
        " __import__('runpy').run_path('gunicorn.conf.py'))[2])(__import__('os')).get('bind')"
    )
    bind = settings[0] if isinstance(settings, list) and settings else settings
    assert bind == "0.0.0.0:8000", "Default to port 8000, the one the image exposes"


@pytest.mark.points(10)
def test_gunicorn_really_serves_it(learner):
    """Gunicorn starts with gunicorn.conf.py and wsgi:app and answers requests"""
    port = free_port()
    pid = learner.eval(
        "__import__('subprocess').Popen([__import__('sys').executable, '-m', 'gunicorn', '-c',"
        " 'gunicorn.conf.py', 'wsgi:app'], env=dict(__import__('os').environ,"
        f" PORT='{port}', WEB_CONCURRENCY='1')).pid"
    )
    try:
        body = None
        deadline = time.monotonic() + 25
        while time.monotonic() < deadline:
            try:
                body = requests.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        assert body is not None, (
            "Gunicorn did not answer on $PORT with gunicorn.conf.py and wsgi:app"
        )
        assert body["status"] == "ok" and body["pid"] != learner.eval(
            "__import__('os').getpid()"
        ), "The answer should come from a Gunicorn worker"
    finally:
        learner.eval(f"(__import__('os').kill({pid}, 2), __import__('os').waitpid({pid}, 0))[0]")
