"""A blog whose pages all extend one base template."""

from flask import Flask, abort, render_template

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

    @app.get("/posts/<slug>")
    def post(slug):
        found = next((p for p in POSTS if p["slug"] == slug), None)
        if found is None:
            abort(404)
        return render_template("post.html", post=found)

    @app.get("/about")
    def about():
        return render_template("about.html")

    return app
