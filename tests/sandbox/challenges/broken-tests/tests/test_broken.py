import not_a_module_anywhere


def test_never(client):
    assert client.get("/").status_code == 404
