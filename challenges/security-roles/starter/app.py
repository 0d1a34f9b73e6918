"""Accounts with Flask-Security-Too: registration, hashed passwords and roles."""

from __future__ import annotations

import os

from flask import Flask
from flask_security.models import fsqla_v3 as fsqla
from flask_sqlalchemy import SQLAlchemy

ROLES = ("member", "analyst", "admin")

db = SQLAlchemy()
fsqla.FsModels.set_db_info(db)


class Role(db.Model, fsqla.FsRoleMixin):
    pass


class User(db.Model, fsqla.FsUserMixin):
    pass


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite://")
    db.init_app(app)
    # Set up Flask-Security here: its settings, the user datastore, the roles, the admin.

    with app.app_context():
        db.create_all()

    @app.get("/profile")
    def profile():
        return {"error": "not implemented yet"}, 501

    @app.get("/reports")
    def reports():
        return {"error": "not implemented yet"}, 501

    @app.post("/admin/roles")
    def grant_role():
        return {"error": "not implemented yet"}, 501

    return app
