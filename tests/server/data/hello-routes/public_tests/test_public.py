"""A public test learners may run locally."""


def test_index_exists(client):
    """The index answers"""
    assert client.get("/").status_code == 200
