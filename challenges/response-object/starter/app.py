"""Shaping responses: complete create_app() as described in the statement."""

from flask import Flask

ROBOTS = "User-agent: *\nDisallow: /private/\n"

SCORES = [(1, "Ann", 91), (2, "Bob", 78), (3, "Chloé", 85)]

NEWS = ["Flask 3.1 is out", "The course has a new chapter on responses"]


def create_app():
    app = Flask(__name__)

    @app.get("/robots.txt")
    def robots():
        return ROBOTS

    @app.get("/version")
    def version():
        return {"version": "2.0.0"}

    return app
