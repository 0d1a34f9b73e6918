"""The application factory: settings, extensions, blueprints, events, queue and commands."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import runner

# review_models: the review tables are mapped with the core ones.
from . import api, commands, config, limits, live, lti, queue, review_models, web  # noqa: F401
from .extensions import csrf, db, login_manager, migrate, socketio, tune_sqlite
from .web.headers import SecureCookiesOverHttps

MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, events and commands."""
    app = Flask("grader", instance_path=os.environ.get("GRADER_INSTANCE_PATH") or None,
                instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config.load(app.instance_path))
    if test_config is not None:
        app.config.update(test_config)
    settings = config.runner_settings(app.config)
    problem = runner.runtime_problem(settings)
    if problem:
        raise config.ConfigError(problem)
    runner.configure(settings)

    db.init_app(app)
    tune_sqlite(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    live.init_app(app)
    celery_mode = app.config["GRADER_QUEUE"] == "celery"
    socketio.init_app(app, async_mode="threading",
                      message_queue=app.config["GRADER_REDIS_URL"] if celery_mode else None)
    limits.init_app(app)
    api.init_app(app)
    queue.init_app(app)
    lti.init_app(app)
    commands.init_app(app)
    web.init_app(app)
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)  # type: ignore[method-assign]
    hops = app.config["GRADER_PROXY_HOPS"]
    if hops:
        # Behind that many trusted proxies, their X-Forwarded-* headers say the scheme and host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,  # type: ignore[method-assign]
                                x_port=hops)
    return app
