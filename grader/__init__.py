"""The grading server: a Flask application factory.

Importing the package stays cheap (the `grader` command-line tool lives in `grader.client`);
the server's modules load when `create_app` runs.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, events and commands."""
    from flask import Flask

    import runner

    from . import api, commands, config, live, queue
    from .extensions import csrf, db, login_manager, migrate, socketio, tune_sqlite

    app = Flask(__name__, instance_path=os.environ.get("GRADER_INSTANCE_PATH") or None,
                instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config.load(app.instance_path))
    if test_config is not None:
        app.config.update(test_config)
    runner.configure(config.runner_settings(app.config))

    db.init_app(app)
    tune_sqlite(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    live.register()
    celery_mode = app.config["GRADER_QUEUE"] == "celery"
    socketio.init_app(app, async_mode="threading",
                      message_queue=app.config["GRADER_REDIS_URL"] if celery_mode else None)
    api.init_app(app)
    queue.init_app(app)
    commands.init_app(app)
    if importlib.util.find_spec("grader.web") is not None:
        from . import web

        web.init_app(app)
    return app
