"""A first Flask application: one app object, four URLs."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
@app.route("/home")
def index():
    return "Hello, Flask!"


@app.route("/about")
def about():
    return "This site is built with Flask."


@app.route("/projects/")
def projects():
    return "No projects yet."
