import os

from flask import Flask

from . import views

app = Flask(__name__, instance_relative_config=True)
app.config.from_object("bookshelf.config.Config")
app.config.from_pyfile("config.py", silent=True)
app.config.from_prefixed_env("BOOKSHELF")
os.makedirs(app.instance_path, exist_ok=True)
views.init_app(app)


def create_app(test_config=None):
    if test_config is not None:
        app.config.from_mapping(test_config)
    return app
