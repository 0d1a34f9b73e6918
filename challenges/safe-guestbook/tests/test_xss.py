"""Hidden tests: nothing a visitor sends can run as script."""

from __future__ import annotations

import pytest

ATTACK = '<img src=x onerror="alert(1)">'


def sign(client, name="Ann", message="Hello", website=""):
    return client.post("/entries", data={"name": name, "message": message, "website": website})


@pytest.mark.points(15)
def test_message_is_escaped(client):
    """HTML in a message is shown as text, not run"""
    sign(client, message=f"nice\n{ATTACK}")
    page = client.get("/").text
    assert "<img src=x" not in page, (
        "Visitor text reached the page as HTML: is something marked safe?"
    )
    assert "&lt;img src=x" in page, "Show the message, escaped"


@pytest.mark.points(10)
def test_name_is_escaped(client):
    """HTML in a name is shown as text"""
    sign(client, name="<b>Bold</b>")
    page = client.get("/").text
    assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt;" in page, (
        "Names must be escaped too"
    )


@pytest.mark.points(15)
def test_last_author_in_script(client):
    """The last author's name is embedded in the script as JSON"""
    sign(client, name='Zed</script><script>alert("x")</script>')
    page = client.get("/").text
    assert page.count("</script>") == page.count("<script"), (
        "A name closed your script tag: how should a value be written inside <script>?"
    )
    assert "window.lastAuthor = " in page, "Keep the script that sets window.lastAuthor"
    assert '"Zed\\u003c/script\\u003e' in page, "Write the name as a JavaScript string"


@pytest.mark.points(15)
def test_search_is_escaped(client):
    """The search page escapes the query it shows"""
    sign(client, message="hello world")
    r = client.get("/search", query_string={"q": "<script>alert(2)</script>"})
    assert r.status_code == 200, "Search should work"
    assert "<script>alert(2)</script>" not in r.text, "The query is reflected without escaping"
    assert "Results for &lt;script&gt;" in r.text, "Show the query, escaped"
    found = client.get("/search", query_string={"q": "WORLD"}).text
    assert "hello world" in found, "Matching entries are listed (the search ignores case)"


@pytest.mark.points(5)
def test_form_values_are_escaped(client):
    """Values sent back into the form after an error are escaped"""
    r = sign(client, name='"><script>alert(3)</script>', message="")
    assert r.status_code == 400, "An empty message is refused"
    assert "<script>alert(3)</script>" not in r.text, (
        "Submitted values go back into the form escaped"
    )
