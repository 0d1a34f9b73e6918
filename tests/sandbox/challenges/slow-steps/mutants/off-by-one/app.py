from flask import Flask

app = Flask(__name__)


@app.get("/double/<int:n>")
def double(n):
    return str(2 * n + 1)
