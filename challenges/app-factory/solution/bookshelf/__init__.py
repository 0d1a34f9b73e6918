"""The bookshelf application package: `create_app` builds a configured app on demand."""

import os

from flask import Flask


def create_app(test_config=None):
    """Build an app configured from defaults, instance/config.py, BOOKSHELF_* and test_config."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object("bookshelf.config.Config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("BOOKSHELF")
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    from . import views

    views.init_app(app)
    return app
