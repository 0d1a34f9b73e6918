"""A small service meant to run on a cloud platform (Heroku, Render, Cloud Run, Fly...)."""

from __future__ import annotations

import os

from flask import Flask, jsonify

from config import load_config


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(load_config(os.environ))

    @app.get("/health")
    def health():
        return jsonify(status="ok", env=app.config["APP_ENV"])

    @app.get("/settings")
    def settings():
        return jsonify(env=app.config["APP_ENV"], debug=app.debug, port=app.config["PORT"])

    @app.get("/crash")
    def crash():
        raise RuntimeError("simulated failure with a secret detail: db password hunter2")

    return app


if __name__ == "__main__":
    # local runs only; the platform starts Gunicorn from the Procfile
    application = create_app()
    application.run(host="0.0.0.0", port=application.config["PORT"])
