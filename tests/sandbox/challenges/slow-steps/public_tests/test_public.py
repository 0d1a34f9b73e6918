def test_double_two(client):
    """Doubles 2"""
    assert client.get("/double/2").text == "4"


def test_not_a_number(client, learner):
    """Only integers are accepted"""
    assert client.get("/double/two").status_code == 404
    assert "/double/<int:n>" in learner.eval("[r.rule for r in app.url_map.iter_rules()]")
