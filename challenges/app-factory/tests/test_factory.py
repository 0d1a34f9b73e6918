"""Hidden tests: the package layout and the application factory."""

from __future__ import annotations

import pytest

FACTORY = "__import__('bookshelf').create_app"


@pytest.mark.points(10)
def test_package_layout(learner):
    """The app is built by the bookshelf package, its views live in bookshelf.views"""
    assert learner.eval("app.import_name") == "bookshelf", (
        "Create the Flask object inside the package, named after it"
    )
    modules = learner.eval(
        "{r.rule: app.view_functions[r.endpoint].__module__ "
        "for r in app.url_map.iter_rules() if r.endpoint != 'static'}"
    )
    assert modules.get("/") == "bookshelf.views" and modules.get("/health") == "bookshelf.views", (
        "The view functions belong in bookshelf/views.py, registered by the factory"
    )


@pytest.mark.points(10)
def test_pages(client):
    """The pages show the shelf's settings"""
    r = client.get("/")
    assert r.status_code == 200, "GET / should answer 200"
    assert r.get_json() == {"shelf": "My shelf", "books_per_page": 10}, (
        "Without other settings, the defaults of bookshelf/config.py apply"
    )
    assert client.get("/health").get_json() == {"status": "ok", "testing": False}, (
        "/health reports the status and whether the app is in testing mode"
    )


@pytest.mark.points(10)
def test_each_call_builds_a_new_app(learner):
    """Every call of create_app builds a separate application"""
    result = learner.eval(
        f"(lambda a, b: [a is b, a.config.get('SHELF_NAME'), b.config.get('SHELF_NAME')])("
        f"{FACTORY}({{'SHELF_NAME': 'A'}}), {FACTORY}({{'SHELF_NAME': 'B'}}))"
    )
    assert result == [False, "A", "B"], (
        "A factory builds a fresh app on each call; settings of one must not leak into another"
    )


@pytest.mark.points(12)
def test_test_config(learner):
    """A test configuration overrides the defaults"""
    config = learner.eval(
        f"dict({FACTORY}({{'TESTING': True, 'SHELF_NAME': 'Test shelf'}}).config).get('SHELF_NAME')"
    )
    assert config == "Test shelf", "create_app(test_config) should apply the given settings"
    page = learner.eval(
        f"{FACTORY}({{'TESTING': True, 'BOOKS_PER_PAGE': 3}})"
        ".test_client().get('/health').get_json()"
    )
    assert page == {"status": "ok", "testing": True}, "The views read the settings of their own app"
    page = learner.eval(f"{FACTORY}({{'BOOKS_PER_PAGE': 3}}).test_client().get('/').get_json()")
    assert page == {"shelf": "My shelf", "books_per_page": 3}, (
        "Views should read current_app's settings, not a copy made elsewhere"
    )


@pytest.mark.points(8)
def test_instance_folder_exists(learner):
    """The factory creates the instance folder"""
    assert learner.eval("__import__('os').path.isdir(app.instance_path)"), (
        "Create the instance folder when the app is built"
    )
    assert learner.eval("app.config.root_path == app.instance_path"), (
        "Configuration files are read relative to the instance folder"
    )
