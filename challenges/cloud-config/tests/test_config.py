"""Hidden tests: settings from the environment and debug mode."""

from __future__ import annotations

import pytest

PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "k3y-from-the-platform"}


def load(learner, **environ: str) -> dict:
    return learner.call("config:load_config", environ)


@pytest.mark.points(10)
def test_development_defaults(learner):
    """Development defaults: debug on, a dev secret, SQLite, port 5000"""
    config = load(learner)
    assert config["APP_ENV"] == "development", "APP_ENV defaults to development"
    assert config["DEBUG"] is True, "Debug mode is for development"
    assert isinstance(config["SECRET_KEY"], str) and config["SECRET_KEY"], (
        "Use a development secret key"
    )
    assert config["DATABASE_URL"] == "sqlite:///dev.db", "The default database is SQLite"
    assert config["PORT"] == 5000, "The default port is 5000, as a number"


@pytest.mark.learner_env(
    APP_ENV="production",
    SECRET_KEY="k3y-from-the-platform",
    DATABASE_URL="postgresql://shop:pw@db.internal:5432/shop",
    PORT="8080",
)
@pytest.mark.points(15)
def test_app_reads_real_environment(learner, client):
    """The running app takes its settings from the process environment"""
    assert learner.eval("app.config['SECRET_KEY']") == "k3y-from-the-platform", (
        "Read SECRET_KEY from the environment"
    )
    assert (
        learner.eval("app.config['DATABASE_URL']") == "postgresql://shop:pw@db.internal:5432/shop"
    ), "Read DATABASE_URL from the environment"
    assert client.get("/settings").get_json() == {
        "env": "production",
        "debug": False,
        "port": 8080,
    }, "Production runs without debug, on the platform's PORT"


@pytest.mark.points(15)
@pytest.mark.parametrize(
    "extra", [{"FLASK_DEBUG": "1"}, {"DEBUG": "true"}, {"FLASK_DEBUG": "1", "DEBUG": "1"}]
)
def test_never_debug_in_production(learner, extra):
    """Debug mode stays off in production whatever the other variables say"""
    assert load(learner, **PRODUCTION, **extra)["DEBUG"] is False, (
        "The debugger must never be reachable in production"
    )


@pytest.mark.learner_env(APP_ENV="production", SECRET_KEY="k", FLASK_DEBUG="1")
@pytest.mark.points(10)
def test_production_errors_are_hidden(client, learner):
    """In production a crash is a plain 500 without the traceback"""
    assert learner.eval("app.debug") is False, "Debug mode must be off in production"
    r = client.get("/crash")
    assert r.status_code == 500, "An exception is a 500 Internal Server Error"
    assert "hunter2" not in r.text and "Traceback" not in r.text, (
        "Error pages must not reveal code or secrets"
    )


@pytest.mark.points(15)
@pytest.mark.parametrize(
    "environ, name",
    [
        ({"APP_ENV": "production"}, "SECRET_KEY"),
        ({"APP_ENV": "production", "SECRET_KEY": ""}, "SECRET_KEY"),
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"APP_ENV": "staging"}, "APP_ENV"),
    ],
)
def test_bad_settings_stop_the_app(learner, environ, name):
    """A missing or wrong setting raises ConfigError naming it"""
    try:
        learner.call("config:load_config", environ)
    except Exception as failure:  # the learner's exception, reported by the harness
        message = str(failure)
    else:
        message = ""
    assert message, "A wrong setting was accepted: stop with an error instead of starting"
    assert "ConfigError" in message, "Raise ConfigError for a bad setting"
    assert name in message, "The message should name the variable to fix"


@pytest.mark.points(10)
def test_postgres_url_is_rewritten(learner):
    """postgres:// addresses are rewritten to postgresql://"""
    config = load(learner, DATABASE_URL="postgres://u:p@host:5432/db")
    assert config["DATABASE_URL"] == "postgresql://u:p@host:5432/db", (
        "SQLAlchemy only understands the postgresql:// scheme"
    )
    config = load(learner, DATABASE_URL="postgresql://u:p@host/db")
    assert config["DATABASE_URL"] == "postgresql://u:p@host/db", "Leave correct addresses alone"
