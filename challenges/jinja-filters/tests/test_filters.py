"""Hidden tests: each filter, rendered by the app's own Jinja environment."""

from __future__ import annotations

import pytest


def render(learner, source: str, **context) -> str:
    """Render a template string with the learner's filters (autoescaped, as in .html files)."""
    return learner.eval(f"app.jinja_env.from_string({source!r}).render(**{context!r})")


@pytest.mark.points(8)
def test_filters_are_registered(learner):
    """The four filters are registered on the app"""
    names = learner.eval("sorted(app.jinja_env.filters)")
    for name in ("money", "pluralize", "initials", "highlight"):
        assert name in names, f"A function must be registered to be a filter: {name} is missing"


@pytest.mark.points(15)
def test_money(learner):
    """money writes prices with a symbol, thousands and two decimals"""
    for source, expected in [
        ("{{ 1234.5|money }}", "€1,234.50"),
        ("{{ 0|money }}", "€0.00"),
        ("{{ 12|money('$') }}", "$12.00"),
        ("{{ 19.999|money }}", "€20.00"),
        ("{{ 1234567.891|money('£') }}", "£1,234,567.89"),
    ]:
        assert render(learner, source) == expected, (
            "Check the decimals, the separators and the symbol"
        )


@pytest.mark.points(8)
def test_money_negative(learner):
    """Negative amounts put the minus sign before the symbol"""
    assert render(learner, "{{ -3|money }}") == "-€3.00", "Write -€3.00, not €-3.00"
    assert render(learner, "{{ -1500.5|money('$') }}") == "-$1,500.50", "Write -$1,500.50"


@pytest.mark.points(15)
def test_pluralize(learner):
    """pluralize picks the singular or the plural"""
    for source, expected in [
        ("{{ 1|pluralize('item') }}", "1 item"),
        ("{{ 0|pluralize('item') }}", "0 items"),
        ("{{ 2|pluralize('item') }}", "2 items"),
        ("{{ 1|pluralize('child', 'children') }}", "1 child"),
        ("{{ 3|pluralize('child', 'children') }}", "3 children"),
    ]:
        assert render(learner, source) == expected, "One is singular; everything else is plural"


@pytest.mark.points(12)
def test_initials(learner):
    """initials keeps the first letter of each word"""
    for name, expected in [
        ("ada lovelace", "AL"),
        ("Grace  Brewster Hopper", "GBH"),
        ("guido", "G"),
        ("", ""),
    ]:
        assert render(learner, "{{ name|initials }}", name=name) == expected, (
            "One upper-case letter per word; an empty name has no initials"
        )


@pytest.mark.points(10)
def test_highlight_marks_every_match(learner):
    """highlight marks every match, keeping the text's case"""
    out = render(learner, "{{ text|highlight(term) }}", text="Pen, pencil, PEN", term="pen")
    assert out == "<mark>Pen</mark>, <mark>pen</mark>cil, <mark>PEN</mark>", (
        "Mark every match, ignoring case, and return Markup so the tags are not escaped"
    )
    out = render(learner, "{{ text|highlight(term) }}", text="Notebook", term="")
    assert out == "Notebook", "An empty term changes nothing"


@pytest.mark.points(15)
def test_highlight_escapes_around_marks(learner):
    """highlight escapes the text around the marks"""
    for text, term, expected in [
        ("Fish & Chips", "chips", "Fish &amp; <mark>Chips</mark>"),
        ("Ink <b>blue</b>", "blue", "Ink &lt;b&gt;<mark>blue</mark>&lt;/b&gt;"),
        ("<script>x</script>", "", "&lt;script&gt;x&lt;/script&gt;"),
    ]:
        out = render(learner, "{{ text|highlight(term) }}", text=text, term=term)
        assert out == expected, (
            "Markup is trusted as it is: escape the visitor's text before wrapping it in Markup"
        )


@pytest.mark.points(10)
def test_highlight_escapes_inside_marks(learner):
    """highlight escapes the matched text too"""
    out = render(learner, "{{ text|highlight(term) }}", text="a<b & c", term="<b &")
    assert out == "a<mark>&lt;b &amp;</mark> c", "What goes between the marks needs escaping too"
