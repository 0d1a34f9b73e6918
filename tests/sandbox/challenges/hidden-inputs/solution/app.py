import os

import click
from flask import Flask, jsonify, request


def shout(text):
    return text.upper()


def create_app():
    app = Flask(__name__)
    app.config["GREETING"] = os.environ.get("GREETING", "hello")

    @app.get("/echo")
    def echo():
        return request.args.get("q", "")

    @app.post("/echo")
    def echo_body():
        return request.get_data()

    @app.get("/items/<name>")
    def item(name):
        return jsonify(name=name)

    @app.get("/data")
    def data():
        return jsonify(q=request.args.get("q"))

    @app.get("/greeting")
    def greeting():
        return app.config["GREETING"]

    @app.cli.command("greet")
    @click.argument("name")
    def greet(name):
        click.echo(f"hello {name}")

    return app
