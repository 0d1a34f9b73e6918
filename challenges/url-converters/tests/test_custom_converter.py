"""Hidden tests: the custom hexcolor converter."""

from __future__ import annotations

import pytest


@pytest.mark.points(6)
def test_converter_is_registered(learner):
    """The converter is registered under the name hexcolor"""
    assert learner.eval("'hexcolor' in app.url_map.converters"), (
        "Register your converter class in app.url_map.converters"
    )
    rules = learner.eval("[r.rule for r in app.url_map.iter_rules()]")
    assert "/colors/<hexcolor:color>" in rules, "The colour route should use the hexcolor converter"


@pytest.mark.points(12)
def test_colors(client):
    """Colours are parsed into red, green and blue"""
    for digits, rgb in [
        ("ff8800", [255, 136, 0]),
        ("FF8800", [255, 136, 0]),
        ("0a0B0c", [10, 11, 12]),
        ("000000", [0, 0, 0]),
    ]:
        r = client.get(f"/colors/{digits}")
        assert r.status_code == 200, "Six hexadecimal digits in either case are a colour"
        assert r.get_json() == {"hex": "#" + digits.lower(), "rgb": rgb}, (
            "to_python should give three integers; the hex field is lower case"
        )


@pytest.mark.points(10)
def test_bad_colors(client):
    """Anything but six hexadecimal digits is Not Found"""
    for digits in ["fff", "ff88zz", "ff88001", "red", "%23ff8800"]:
        r = client.get(f"/colors/{digits}")
        assert r.status_code == 404, "The converter's regex decides what matches: be exact"


@pytest.mark.points(10)
def test_color_urls_are_built(learner):
    """url_for builds colour URLs from three integers"""
    built = learner.eval("app.url_map.bind('localhost').build('color', {'color': (255, 136, 0)})")
    assert built == "/colors/ff8800", "to_url should turn three integers into six lower-case digits"
    built = learner.eval("app.url_map.bind('localhost').build('color', {'color': [1, 2, 171]})")
    assert built == "/colors/0102ab", "Each component needs two digits, with a leading zero"
