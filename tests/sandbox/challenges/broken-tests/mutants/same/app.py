from flask import Flask, request


def create_app():
    app = Flask(__name__)
    app.config["ANSWER"] = 42

    @app.get("/sum")
    def total():
        return str(request.args.get("a", 0, type=int) + request.args.get("b", 0, type=int))

    @app.post("/echo")
    def echo():
        return request.get_data()

    return app
