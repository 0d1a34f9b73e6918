"""Hidden tests: before_request, after_request and teardown_request."""

from __future__ import annotations

import re

import pytest


@pytest.mark.points(10)
def test_generated_request_id(client):
    """A request without an id gets a fresh one, in g and in the header"""
    first = client.get("/whoami")
    second = client.get("/whoami")
    assert first.status_code == 200, "/whoami should work"
    first_id = first.get_json()["request_id"]
    assert isinstance(first_id, str) and re.fullmatch(r"[A-Za-z0-9-]{1,64}", first_id), (
        "Generate an id when the client sends none"
    )
    assert first_id != second.get_json()["request_id"], "Every request needs its own id"
    assert first.headers.get("X-Request-Id") == first_id, (
        "The response header and g.request_id should carry the same id"
    )


@pytest.mark.points(10)
def test_incoming_request_id_is_kept(client):
    """A well-formed X-Request-Id from the client is reused"""
    r = client.get("/whoami", headers={"X-Request-Id": "trace-42-abc"})
    assert r.get_json()["request_id"] == "trace-42-abc", (
        "Reuse the id the client sent when it is valid"
    )
    assert r.headers.get("X-Request-Id") == "trace-42-abc", "Echo the id in the response header"


@pytest.mark.points(10)
@pytest.mark.parametrize("bad_id", ["no spaces allowed", "x" * 65, "semi;colon", "<script>"])
def test_malformed_request_id_is_replaced(client, bad_id):
    """A malformed X-Request-Id is replaced by a generated one"""
    r = client.get("/whoami", headers={"X-Request-Id": bad_id})
    request_id = r.get_json()["request_id"]
    assert request_id != bad_id, "Never trust a header you did not check"
    assert re.fullmatch(r"[A-Za-z0-9-]{1,64}", request_id or ""), "Generate a clean id instead"


@pytest.mark.points(10)
@pytest.mark.parametrize("path", ["/nowhere", "/admin/stats"])
def test_header_on_error_responses(client, path):
    """Error responses carry X-Request-Id too"""
    r = client.get(path)
    assert r.status_code in (401, 404), "This request should fail"
    assert r.headers.get("X-Request-Id"), (
        "The after_request hook should add the header to every response"
    )


@pytest.mark.points(15)
def test_admin_guard(client):
    """The admin guard refuses a missing or wrong key and lets the right one through"""
    r = client.get("/admin/stats")
    assert r.status_code == 401, "Without the key, /admin/ must answer 401"
    assert r.get_json() == {"error": "unauthorized"}, "Return the error from the hook"
    assert client.get("/admin/stats", headers={"X-Api-Key": "wrong"}).status_code == 401, (
        "A wrong key is no key"
    )
    ok = client.get("/admin/stats", headers={"X-Api-Key": "dev-key"})
    assert ok.status_code == 200, "The right key must reach the view"
    assert client.get("/whoami").status_code == 200, "Pages outside /admin/ need no key"


@pytest.mark.learner_env(API_KEY="k-from-env")
@pytest.mark.points(5)
def test_admin_key_from_environment(client):
    """The admin key comes from the API_KEY environment variable"""
    assert client.get("/admin/stats", headers={"X-Api-Key": "k-from-env"}).status_code == 200, (
        "Read the key from the environment"
    )
    assert client.get("/admin/stats", headers={"X-Api-Key": "dev-key"}).status_code == 401, (
        "Once API_KEY is set, the development key must stop working"
    )


@pytest.mark.points(15)
def test_request_log(client, learner):
    """Every request, even a failing one, is logged at teardown with its exception"""
    client.get("/whoami", headers={"X-Request-Id": "first-1"})
    failed = client.get("/fail", headers={"X-Request-Id": "second-2"})
    assert failed.status_code == 500, "/fail raises an exception"
    log = learner.eval("app.extensions['request_log']")
    assert isinstance(log, list) and len(log) == 2, "Log exactly one entry per request"
    assert log[0] == {"path": "/whoami", "request_id": "first-1", "error": None}, (
        "A successful request is logged with error None"
    )
    assert log[1] == {"path": "/fail", "request_id": "second-2", "error": "RuntimeError"}, (
        "Which hook receives the exception that ended the request?"
    )


@pytest.mark.points(10)
def test_describe_request_outside_a_request(learner):
    """describe_request() returns None outside a request"""
    assert learner.call("app:describe_request") is None, (
        "Check whether there is a request context before touching request"
    )
    inside = learner.eval(
        "(lambda ctx: (ctx.push(), __import__('app').describe_request(), ctx.pop())[1])"
        "(app.test_request_context('/shop', method='POST'))"
    )
    assert inside == {"method": "POST", "path": "/shop"}, "Inside a request, describe it"
