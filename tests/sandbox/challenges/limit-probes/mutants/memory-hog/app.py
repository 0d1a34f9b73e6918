from flask import Flask

HOARD = []


def create_app():
    app = Flask(__name__)

    @app.get("/")
    def index():
        # holds far more than the limit where no test asks for it
        while True:
            HOARD.append(bytearray(16 * 1024 * 1024))

    return app
