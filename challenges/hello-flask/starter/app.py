"""A first Flask application: complete the routes described in the statement."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "Under construction"
