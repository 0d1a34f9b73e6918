import time

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello!"


@app.get("/slow")
def slow():
    time.sleep(8)  # long enough to stop the server while this grading runs
    return "Done."
