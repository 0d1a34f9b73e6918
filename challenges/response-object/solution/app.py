"""Shaping responses: status codes, headers, content types and conditional answers."""

from flask import Flask, make_response, request, url_for

ROBOTS = "User-agent: *\nDisallow: /private/\n"

SCORES = [(1, "Ann", 91), (2, "Bob", 78), (3, "Chloé", 85)]

NEWS = ["Flask 3.1 is out", "The course has a new chapter on responses"]


def create_app():
    app = Flask(__name__)
    items = {}

    @app.get("/robots.txt")
    def robots():
        response = make_response(ROBOTS)
        response.mimetype = "text/plain"
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    @app.get("/report.csv")
    def report():
        lines = ["id,name,score"] + [f"{sid},{name},{score}" for sid, name, score in SCORES]
        response = make_response("".join(line + "\n" for line in lines))
        response.mimetype = "text/csv"
        response.headers["Content-Disposition"] = "attachment; filename=report.csv"
        return response

    @app.post("/items")
    def create_item():
        data = request.get_json(silent=True)
        name = data.get("name") if isinstance(data, dict) else None
        if not isinstance(name, str) or not name.strip():
            return {"error": "name must be a non-empty string"}, 400
        item_id = len(items) + 1
        items[item_id] = {"id": item_id, "name": name.strip()}
        return items[item_id], 201, {"Location": url_for("show_item", item_id=item_id)}

    @app.get("/items/<int:item_id>")
    def show_item(item_id):
        if item_id not in items:
            return {"error": "No item has this id"}, 404
        return items[item_id]

    @app.get("/version")
    def version():
        return {"version": "2.0.0"}, {"X-API-Version": "2"}

    @app.get("/news")
    def news():
        response = make_response({"news": NEWS})
        response.add_etag()
        return response.make_conditional(request)

    @app.get("/legacy")
    def legacy():
        return "This page was removed.", 410, {"Content-Type": "text/plain; charset=utf-8"}

    return app
