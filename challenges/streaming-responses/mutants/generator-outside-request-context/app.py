"""Streaming responses: a countdown, a per-request report, server-sent events and a CSV export."""

import csv
import io
import json

from flask import Flask, Response, request

CONTACTS = [
    {"id": 1, "name": "Ann Lee", "email": "ann@example.com", "city": "Lyon"},
    {"id": 2, "name": "Doe, Jane", "email": "jane@example.com", "city": "Paris"},
    {"id": 3, "name": 'Bob "The Builder"', "email": "bob@example.com", "city": "Nantes"},
    {"id": 4, "name": "Chloé Martin", "email": "chloe@example.com", "city": "Lille"},
]
FIELDS = ["id", "name", "email", "city"]


def bounded_int(name, default, low, high):
    """A query parameter as a whole number in [low, high]; None when it is anything else."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def create_app():
    app = Flask(__name__)

    @app.get("/countdown")
    def countdown():
        start = bounded_int("start", 10, 1, 100)
        if start is None:
            return {"error": "start must be a whole number from 1 to 100"}, 400

        def lines():
            for n in range(start, 0, -1):
                yield f"{n}\n"
            yield "liftoff\n"

        return Response(lines(), mimetype="text/plain")

    @app.get("/report")
    def report():
        def lines():
            # this body runs while the response is sent, after report() has returned:
            # stream_with_context keeps the request available until the generator ends
            user = request.args.get("user", "anonymous")
            yield f"Report for {user}\n"
            for contact in CONTACTS:
                yield f"{contact['id']}: {contact['name']}\n"
            yield "end\n"

        return Response(lines(), mimetype="text/plain")

    @app.get("/events")
    def events():
        count = bounded_int("count", 3, 1, 50)
        if count is None:
            return {"error": "count must be a whole number from 1 to 50"}, 400

        def stream():
            for n in range(1, count + 1):
                yield f"event: tick\ndata: {json.dumps({'n': n})}\n\n"
            yield "event: done\ndata: {}\n\n"

        return Response(
            stream(), mimetype="text/event-stream", headers={"Cache-Control": "no-cache"}
        )

    @app.get("/contacts.csv")
    def export_contacts():
        def rows():
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            for row in [FIELDS] + [[contact[f] for f in FIELDS] for contact in CONTACTS]:
                writer.writerow(row)
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()

        return Response(
            rows(),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment; filename=contacts.csv"},
        )

    return app
