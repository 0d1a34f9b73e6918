import time

import pytest


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_double(client, n):
    """Doubles its argument"""
    time.sleep(0.4)  # each test takes a while, so streaming is observable
    assert client.get(f"/double/{n}").text == str(2 * n), "twice n"
