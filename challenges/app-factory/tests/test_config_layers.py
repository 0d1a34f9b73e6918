"""Hidden tests: where settings come from, and which one wins."""

from __future__ import annotations

import pytest

FACTORY = "__import__('bookshelf').create_app"
INSTANCE_CONFIG = (
    'SHELF_NAME = "Instance shelf"\nBOOKS_PER_PAGE = 42\nSECRET_KEY = "from-instance"\n'
)
WRITE_INSTANCE_CONFIG = (
    "(__import__('os').makedirs(app.instance_path, exist_ok=True), "
    "open(__import__('os').path.join(app.instance_path, 'config.py'), 'w')"
    f".write({INSTANCE_CONFIG!r}))[1]"
)


@pytest.mark.points(8)
def test_defaults_come_from_the_config_object(learner):
    """The defaults live in bookshelf.config.Config"""
    defaults = learner.eval(
        "(lambda c: [c.SECRET_KEY, c.SHELF_NAME, c.BOOKS_PER_PAGE])("
        "__import__('bookshelf.config', fromlist=['Config']).Config)"
    )
    assert defaults == ["dev", "My shelf", 10], "Keep the defaults in the Config class"
    assert learner.eval("[app.config.get('SECRET_KEY'), app.config.get('BOOKS_PER_PAGE')]") == [
        "dev",
        10,
    ], "Load the Config class into the app's configuration"


@pytest.mark.points(12)
def test_instance_config_file(learner):
    """instance/config.py overrides the defaults"""
    assert learner.eval(WRITE_INSTANCE_CONFIG), "The test could not write instance/config.py"
    values = learner.eval(
        f"(lambda c: [c.get('SHELF_NAME'), c.get('BOOKS_PER_PAGE'), c.get('SECRET_KEY')])"
        f"({FACTORY}().config)"
    )
    assert values == ["Instance shelf", 42, "from-instance"], (
        "Settings in the instance folder's config.py should override the defaults"
    )


@pytest.mark.learner_env(BOOKSHELF_SHELF_NAME="Env shelf", BOOKSHELF_BOOKS_PER_PAGE="25")
@pytest.mark.points(12)
def test_environment_variables(client):
    """BOOKSHELF_* environment variables override the defaults, with their types"""
    body = client.get("/").get_json()
    assert body.get("shelf") == "Env shelf", "Read settings from BOOKSHELF_* environment variables"
    assert body.get("books_per_page") == 25, (
        "Environment values are text: 25 should become a number (Flask can parse them for you)"
    )


@pytest.mark.learner_env(BOOKSHELF_SHELF_NAME="Env shelf", BOOKSHELF_SECRET_KEY="from-env")
@pytest.mark.points(8)
def test_environment_beats_instance_file(learner):
    """The environment overrides instance/config.py"""
    assert learner.eval(WRITE_INSTANCE_CONFIG), "The test could not write instance/config.py"
    values = learner.eval(
        f"(lambda c: [c.get('SHELF_NAME'), c.get('BOOKS_PER_PAGE'), c.get('SECRET_KEY')])"
        f"({FACTORY}().config)"
    )
    assert values == ["Env shelf", 42, "from-env"], (
        "Order matters: defaults, then the instance file, then the environment"
    )


@pytest.mark.learner_env(BOOKSHELF_SHELF_NAME="Env shelf", BOOKSHELF_BOOKS_PER_PAGE="25")
@pytest.mark.points(10)
def test_test_config_wins(learner):
    """A test configuration overrides everything else"""
    values = learner.eval(
        f"(lambda c: [c.get('SHELF_NAME'), c.get('BOOKS_PER_PAGE')])"
        f"({FACTORY}({{'SHELF_NAME': 'Test shelf'}}).config)"
    )
    assert values == ["Test shelf", 25], (
        "test_config comes last, so tests can rely on their settings; other settings stay"
    )
