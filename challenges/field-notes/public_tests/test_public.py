def test_add_a_note(client):
    """A note can be added"""
    reply = client.post("/notes", json={"text": "saw a heron"})
    assert reply.status_code == 201
    assert reply.get_json() == {"id": 1, "text": "saw a heron"}


def test_words(learner):
    """Words are counted"""
    assert learner.call("app:word_count", "saw a heron") == 3
