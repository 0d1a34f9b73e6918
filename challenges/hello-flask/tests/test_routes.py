"""Hidden tests: the application object and its URL rules."""

from __future__ import annotations

import pytest


@pytest.mark.points(15)
def test_application_object(learner):
    """app.py defines a module-level Flask application named after its module"""
    assert learner.eval("type(app).__name__") == "Flask", "`app` should be a Flask object"
    assert learner.eval("app.import_name") == "app", (
        "Pass the module's own name to Flask() so it can find the files next to your code"
    )


@pytest.mark.points(15)
def test_home_page(client):
    """The home page says hello"""
    r = client.get("/")
    assert r.status_code == 200, "The home page should answer 200 OK"
    assert r.text == "Hello, Flask!", "Check the exact text of the home page"
    assert r.mimetype == "text/html", "A view that returns a string sends HTML"


@pytest.mark.points(15)
def test_home_alias(client, learner):
    """/home shows the home page, served by the same view function"""
    r = client.get("/home")
    assert r.status_code == 200, "/home should answer 200 OK"
    assert r.text == "Hello, Flask!", "/home should show exactly the home page"
    endpoints = learner.eval("{r.rule: r.endpoint for r in app.url_map.iter_rules()}")
    assert endpoints.get("/") == endpoints.get("/home"), (
        "Both URLs should lead to one view function, not two copies"
    )


@pytest.mark.points(15)
def test_about_page(client):
    """The about page answers at /about"""
    r = client.get("/about")
    assert r.status_code == 200, "/about should answer 200 OK without redirecting"
    assert r.text == "This site is built with Flask.", "Check the exact text of the about page"


@pytest.mark.points(10)
def test_about_is_file_like(client):
    """/about/ with a trailing slash does not exist"""
    r = client.get("/about/")
    assert r.status_code == 404, "/about is a file-like URL: think about its trailing slash"


@pytest.mark.points(15)
def test_projects_folder(client):
    """The projects page lives at /projects/ and /projects redirects there"""
    r = client.get("/projects/")
    assert r.status_code == 200, "/projects/ should answer 200 OK"
    assert r.text == "No projects yet.", "Check the exact text of the projects page"
    r = client.get("/projects")
    assert r.status_code == 308, (
        "/projects is folder-like: without the slash, Flask should redirect"
    )
    assert (r.location or "").endswith("/projects/"), "The redirect should lead to /projects/"


@pytest.mark.points(15)
def test_unknown_urls(client):
    """Other URLs are Not Found"""
    for path in ["/index", "/hello", "/about/us", "/Home"]:
        assert client.get(path).status_code == 404, "Only the URLs of the statement should exist"
