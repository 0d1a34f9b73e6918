from flask import Flask, request
from flask_socketio import SocketIO, emit, join_room

socketio = SocketIO()


def create_app():
    app = Flask(__name__)
    socketio.init_app(app)

    @app.get("/")
    def index():
        return "ok"

    @app.post("/rooms/<room>")
    def notify(room):
        socketio.emit("notice", request.get_data(as_text=True))
        return "sent"

    @socketio.on("echo")
    def echo(data):
        emit("echo", data)

    @socketio.on("join")
    def join(room):
        join_room(room)
        return "joined"

    return app
