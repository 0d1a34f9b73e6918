"""A blog with one layout: complete create_app() and the templates as described in the statement."""

from flask import Flask, render_template

POSTS = [
    {
        "slug": "hello-world",
        "title": "Hello, world",
        "author": "Ann",
        "body": "This is the first post of the blog.",
    },
    {
        "slug": "why-flask",
        "title": "Why Flask?",
        "author": "Bob",
        "body": "Flask keeps the core small and lets you choose the rest.",
    },
    {
        "slug": "templates",
        "title": "Templates & layouts",
        "author": "Ann",
        "body": "Jinja templates can extend each other.",
    },
]


def create_app():
    app = Flask(__name__)

    @app.get("/")
    def index():
        return render_template("index.html", posts=POSTS)

    return app
