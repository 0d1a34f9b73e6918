from flask import Flask


def create_app():
    app = Flask(__name__)

    @app.route("/")
    def index():
        return "Hello, Flask!"

    @app.route("/hello/<name>")
    def hello(name):
        return "Hello, stranger!"

    return app
