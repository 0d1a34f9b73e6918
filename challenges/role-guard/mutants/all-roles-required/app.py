"""A small newsroom API: everyone signed in can read; writing and deleting need roles."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, request
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFProtect, generate_csrf
from store import ROLES, Account, Store

login_manager = LoginManager()
csrf = CSRFProtect()


def store() -> Store:
    return current_app.extensions["store"]


@login_manager.user_loader
def load_user(user_id: str) -> Account | None:
    return store().get(user_id)


@login_manager.unauthorized_handler
def unauthorized():
    return {"error": "login required"}, 401


def require_roles(*roles: str) -> Callable:
    """Let a view run only for a signed-in user who holds at least one of `roles`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)  # keeps the view's name, which Flask uses as its endpoint
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()  # who are you? 401
            # read the roles from the account on every request, so a change applies at once
            if not set(roles) <= current_user.roles:
                return {"error": "forbidden"}, 403  # we know you, and the answer is no
            return view(*args, **kwargs)

        return guarded

    return decorator


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
    app.extensions["store"] = Store()
    csrf.init_app(app)
    login_manager.init_app(app)

    @app.get("/csrf-token")
    def csrf_token():
        # JSON clients send this back in the X-CSRFToken header
        return {"csrf_token": generate_csrf()}

    @app.post("/login")
    def login():
        body = request.get_json(silent=True) or {}
        account = store().find(str(body.get("username", "")))
        if account is None or not account.check_password(str(body.get("password", ""))):
            return {"error": "invalid credentials"}, 401
        login_user(account)
        return {"username": account.username, "roles": sorted(account.roles)}

    @app.post("/logout")
    def logout():
        logout_user()
        return "", 204

    @app.get("/articles")
    @login_required
    def list_articles():
        return {"articles": list(store().articles.values())}

    @app.post("/articles")
    @require_roles("editor", "admin")
    def create_article():
        title = str((request.get_json(silent=True) or {}).get("title", "")).strip()
        if not title:
            return {"error": "title is required"}, 400
        return store().add_article(title, current_user.username), 201

    @app.delete("/articles/<int:article_id>")
    @require_roles("admin")
    def delete_article(article_id: int):
        if store().articles.pop(article_id, None) is None:
            return {"error": "no such article"}, 404
        return "", 204

    @app.get("/admin/users")
    @require_roles("admin")
    def list_users():
        accounts = sorted(store().accounts.values(), key=lambda a: a.username)
        return {"users": [{"username": a.username, "roles": sorted(a.roles)} for a in accounts]}

    @app.put("/admin/users/<username>/roles")
    @require_roles("admin")
    def set_roles(username: str):
        account = store().find(username)
        if account is None:
            return {"error": "no such user"}, 404
        roles = (request.get_json(silent=True) or {}).get("roles")
        if not isinstance(roles, list) or not all(r in ROLES for r in roles):
            return {"error": f"roles must be a list drawn from {', '.join(ROLES)}"}, 400
        account.roles = set(roles)
        return {"username": account.username, "roles": sorted(account.roles)}

    return app
