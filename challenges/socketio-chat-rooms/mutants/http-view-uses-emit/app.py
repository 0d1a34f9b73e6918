"""Chat rooms over Socket.IO: people join rooms, talk in them, and the site can announce."""

from __future__ import annotations

import os

from flask import Flask, jsonify, request, session
from flask_socketio import SocketIO, emit, join_room, leave_room, rooms

socketio = SocketIO()
MAX_LENGTH = 32


def text_field(data: object, key: str, limit: int = MAX_LENGTH) -> str | None:
    """The stripped string under `key`, or None when it is missing, blank or too long."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
        return None
    return value.strip()


def refuse(message: str) -> dict:
    return {"ok": False, "error": message}


@socketio.on("join")
def on_join(data: object) -> dict:
    room, name = text_field(data, "room"), text_field(data, "name")
    if room is None or name is None:
        return refuse(f"room and name must be non-empty strings of at most {MAX_LENGTH} characters")
    # Flask-SocketIO keeps one session per connection: each person keeps their own name
    session["name"] = name
    join_room(room)
    emit("status", {"room": room, "text": f"{name} joined"}, to=room)
    return {"ok": True, "room": room}


@socketio.on("message")
def on_message(data: object) -> dict:
    room, text = text_field(data, "room"), text_field(data, "text", limit=500)
    if room is None or text is None:
        return refuse("room and text must be non-empty strings")
    if room not in rooms():
        return refuse("join the room first")
    emit("message", {"room": room, "name": session["name"], "text": text}, to=room)
    return {"ok": True}


@socketio.on("leave")
def on_leave(data: object) -> dict:
    room = text_field(data, "room")
    if room is None or room not in rooms():
        return refuse("you are not in that room")
    leave_room(room)
    emit("status", {"room": room, "text": f"{session['name']} left"}, to=room)
    return {"ok": True}


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")

    @app.post("/rooms/<room>/announcements")
    def announce(room: str):
        text = text_field(request.get_json(silent=True), "text", limit=500)
        if text is None:
            return jsonify(error="text must be a non-empty string"), 400
        # outside a Socket.IO handler there is no sender: emit through the server, to the room
        emit("announcement", {"room": room, "text": text}, to=room)
        return jsonify(room=room, text=text)

    socketio.init_app(app)
    return app
