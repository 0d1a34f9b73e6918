"""Public checks for the cloud configuration: run them while you work."""

from __future__ import annotations

import pytest


def test_development_defaults(learner):
    """Without variables the app runs in development on port 5000"""
    config = learner.call("config:load_config", {})
    assert config["APP_ENV"] == "development" and config["DEBUG"] is True
    assert config["PORT"] == 5000


@pytest.mark.learner_env(APP_ENV="production", SECRET_KEY="s3cr3t", PORT="8080")
def test_production_settings(learner):
    """In production the app reads its settings from the environment"""
    assert learner.eval("app.debug") is False
    assert learner.eval("app.config['PORT']") == 8080
