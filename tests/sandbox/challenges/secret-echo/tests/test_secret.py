import pytest

SECRET = "zebra-quartz-7741-hidden"


@pytest.mark.points(2)
def test_echo_secret(client):
    """The echo route returns what it is sent"""
    reply = client.post("/echo", data=SECRET)
    assert reply.status_code == 200, "POST /echo should answer 200"
    assert reply.text == SECRET, "POST /echo should answer with the body it received"


def test_sum(client):
    """Sums two numbers"""
    assert client.get("/sum", query_string={"a": 2, "b": 3}).text == "5", "2 + 3 should be 5"


def test_answer_in_config(learner):
    """The answer is configured"""
    assert learner.eval("app.config.get('ANSWER')") == 42, "ANSWER should be configured"


def test_secret_route_unknown(client):
    """Only the two routes exist"""
    assert client.get("/" + SECRET).status_code == 404, "unknown paths are not found"
