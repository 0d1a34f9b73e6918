from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello!"


@app.get("/slow")
def slow():
    return "Not yet."
