"""The shelf's pages; they read settings from whichever app is handling the request."""

from flask import current_app


def index():
    return {
        "shelf": current_app.config["SHELF_NAME"],
        "books_per_page": current_app.config["BOOKS_PER_PAGE"],
    }


def health():
    return {"status": "ok", "testing": current_app.testing}


def init_app(app):
    app.add_url_rule("/", view_func=index)
    app.add_url_rule("/health", view_func=health)
