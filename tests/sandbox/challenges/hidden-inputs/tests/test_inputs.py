import pytest
import requests

# The value no feedback may ever show a learner (the runner's tests look for "kumquat").
MARKER = "kumquat0931"


def test_query(client):
    """A query parameter is echoed"""
    assert client.get("/echo", query_string={"q": MARKER}).text == MARKER, "echo the query"


def test_path(client):
    """A path segment is read"""
    assert client.get(f"/items/{MARKER}").get_json() == {"name": MARKER}, "read the path"


def test_body_and_header(client):
    """A body is echoed"""
    reply = client.post("/echo", data=MARKER, headers={"X-Value": MARKER})
    assert reply.text == MARKER, "echo the body"


def test_json_reply(client):
    """JSON comes back"""
    assert client.get("/data", query_string={"q": MARKER}).get_json() == {"q": MARKER}, \
        "answer JSON"


def test_call(learner):
    """shout() upper-cases"""
    assert learner.call("app:shout", MARKER) == MARKER.upper(), "shout should upper-case"


def test_eval(learner):
    """Unknown settings are absent"""
    assert learner.eval(f"app.config.get({MARKER!r})") is None, "no such setting"


def test_command(cli):
    """`flask greet` greets"""
    result = cli("greet", MARKER)
    assert result.exit_code == 0 and MARKER in result.output, "flask greet NAME should greet"


def test_live_server(live_server):
    """A real server echoes"""
    reply = requests.get(f"{live_server}/echo", params={"q": MARKER}, timeout=5)
    assert reply.text == MARKER, "the real server should echo too"


@pytest.mark.learner_env(GREETING=MARKER)
def test_environment(client):
    """The greeting comes from the environment"""
    assert client.get("/greeting").text == MARKER, "read GREETING from the environment"
