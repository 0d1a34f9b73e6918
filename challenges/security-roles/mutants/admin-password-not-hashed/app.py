"""Accounts with Flask-Security-Too: registration, hashed passwords and roles."""

from __future__ import annotations

import os

from flask import Flask, request
from flask_security import (
    Security,
    SQLAlchemyUserDatastore,
    auth_required,
    current_user,
    roles_accepted,
    roles_required,
    user_registered,
)
from flask_security.models import fsqla_v3 as fsqla
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

ROLES = ("member", "analyst", "admin")

db = SQLAlchemy()
csrf = CSRFProtect()
fsqla.FsModels.set_db_info(db)


class Role(db.Model, fsqla.FsRoleMixin):
    pass


class User(db.Model, fsqla.FsUserMixin):
    pass


user_datastore = SQLAlchemyUserDatastore(db, User, Role)
security = Security()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-secret"),
        SECURITY_PASSWORD_SALT=os.environ.get("SECURITY_PASSWORD_SALT", "dev-only-salt"),
        SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL", "sqlite://"),
        # argon2 is the default, but argon2-cffi is not installed: PBKDF2-SHA512 is built in
        SECURITY_PASSWORD_HASH="pbkdf2_sha512",
        SECURITY_PASSWORD_LENGTH_MIN=10,
        SECURITY_REGISTERABLE=True,
        SECURITY_SEND_REGISTER_EMAIL=False,  # no mail server here
        SECURITY_EMAIL_VALIDATOR_ARGS={"check_deliverability": False},  # no DNS either
    )
    db.init_app(app)
    csrf.init_app(app)  # before Security, so that every POST needs its token
    security.init_app(app, user_datastore)

    @user_registered.connect_via(app)
    def give_member_role(sender, user, **extra) -> None:
        user_datastore.add_role_to_user(user, "member")

    with app.app_context():
        db.create_all()
        for name in ROLES:
            user_datastore.find_or_create_role(name)
        email, password = os.environ.get("ADMIN_EMAIL"), os.environ.get("ADMIN_PASSWORD")
        if email and password and user_datastore.find_user(email=email) is None:
            user_datastore.create_user(email=email, password=password,
                                       roles=["admin"])
        db.session.commit()

    @app.get("/profile")
    @auth_required()
    def profile():
        return {"email": current_user.email, "roles": sorted(r.name for r in current_user.roles)}

    @app.get("/reports")
    @auth_required()
    @roles_accepted("analyst", "admin")
    def reports():
        return {"reports": ["2024-q1", "2024-q2"]}

    @app.post("/admin/roles")
    @auth_required()
    @roles_required("admin")
    def grant_role():
        body = request.get_json(silent=True) or {}
        if body.get("role") not in ROLES:
            return {"error": f"role must be one of {', '.join(ROLES)}"}, 400
        user = user_datastore.find_user(email=str(body.get("email", "")))
        if user is None:
            return {"error": "no such user"}, 404
        user_datastore.add_role_to_user(user, body["role"])
        db.session.commit()
        return {"email": user.email, "roles": sorted(r.name for r in user.roles)}

    return app
