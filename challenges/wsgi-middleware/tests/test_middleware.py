"""Hidden tests: three WSGI middleware around the Flask app."""

from __future__ import annotations

import re

import pytest

TIMING = re.compile(r"^app;dur=\d+(\.\d+)?$")


def start_maintenance(learner) -> None:
    learner.eval("open('maintenance.on', 'w').close()")


@pytest.mark.points(10)
def test_app_stays_flask(learner):
    """The app object is still a Flask app with its wsgi_app wrapped"""
    assert learner.eval("type(app).__name__") == "Flask", "Keep returning the Flask app"
    assert learner.eval("type(app.wsgi_app).__name__") != "method", (
        "Wrap app.wsgi_app with your middleware"
    )


@pytest.mark.points(15)
@pytest.mark.parametrize(
    "method, override", [("DELETE", "DELETE"), ("PUT", "put"), ("PATCH", "Patch")]
)
def test_method_override(client, method, override):
    """A POST with an override header reaches the view as PUT, PATCH or DELETE"""
    if method == "PATCH":
        r = client.post("/items/2", headers={"X-HTTP-Method-Override": override})
        assert r.status_code == 405, "PATCH is overridable, but this route does not accept it"
        return
    r = client.post(
        "/items/2", json={"name": "chair"}, headers={"X-HTTP-Method-Override": override}
    )
    assert r.status_code == 200, "The overridden request should reach the PUT/DELETE view"
    assert r.get_json()["method"] == method, (
        "Change REQUEST_METHOD (the header's value may be any case)"
    )


@pytest.mark.points(10)
@pytest.mark.parametrize(
    "method, override", [("GET", "DELETE"), ("POST", "TRACE"), ("POST", "GET")]
)
def test_override_is_limited(client, method, override):
    """Only a POST can be overridden, and only to PUT, PATCH or DELETE"""
    r = client.open("/items/1", method=method, headers={"X-HTTP-Method-Override": override})
    if method == "GET":
        assert r.status_code == 200 and r.get_json()["method"] == "GET", (
            "A GET must never become a DELETE"
        )
        assert client.get("/items/1").status_code == 200, "The item must still exist"
    else:
        assert r.status_code == 405, "Ignore overrides to other methods: the POST stays a POST"


@pytest.mark.points(20)
def test_maintenance_answers_without_flask(client, learner):
    """During maintenance, the middleware answers 503 without reaching Flask"""
    assert client.get("/items/1").status_code == 200, "Before maintenance everything works"
    start_maintenance(learner)
    r = client.get("/items/1")
    assert r.status_code == 503, "Check the flag file on every request"
    assert r.headers.get("Retry-After") == "120", "Tell clients when to come back"
    assert r.mimetype == "application/json" and r.get_json() == {"error": "down for maintenance"}, (
        "Answer with the JSON error body"
    )
    assert learner.eval("app.extensions['hits']") == 1, (
        "The maintenance answer must not reach Flask"
    )


@pytest.mark.points(10)
def test_health_during_maintenance(client, learner):
    """/health still answers during maintenance"""
    start_maintenance(learner)
    r = client.get("/health")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}, (
        "Health checks must keep working"
    )


@pytest.mark.points(10)
def test_maintenance_ends(client, learner):
    """Removing the flag file ends maintenance at once"""
    start_maintenance(learner)
    assert client.get("/items/2").status_code == 503, "While the flag file exists, answer 503"
    learner.eval("__import__('os').remove('maintenance.on')")
    assert client.get("/items/2").status_code == 200, (
        "Without the flag file, requests reach the app again"
    )


@pytest.mark.points(15)
@pytest.mark.parametrize("path", ["/health", "/items/99", "/nowhere"])
def test_server_timing_everywhere(client, path):
    """Every response has a Server-Timing header"""
    r = client.get(path)
    assert TIMING.match(r.headers.get("Server-Timing") or ""), (
        "Add Server-Timing: app;dur=<ms> to every response"
    )
    assert len(r.headers.getlist("Server-Timing")) == 1, "Add the header once"


@pytest.mark.points(10)
def test_server_timing_on_maintenance(client, learner):
    """Maintenance answers are timed too"""
    start_maintenance(learner)
    r = client.get("/items/1")
    assert r.status_code == 503, "While the flag file exists, answer 503"
    assert TIMING.match(r.headers.get("Server-Timing") or ""), (
        "In which order are your middleware wrapped?"
    )
