"""A recipe site rendered from Jinja templates, with CSS and JavaScript served as static files."""

from flask import Flask, abort, render_template, request

RECIPES = [
    {
        "slug": "pancakes",
        "title": "Pancakes",
        "minutes": 20,
        "ingredients": ["flour", "milk", "eggs", "butter"],
    },
    {
        "slug": "mac-and-cheese",
        "title": "Mac & Cheese",
        "minutes": 35,
        "ingredients": ["macaroni", "cheddar", "milk"],
    },
    {
        "slug": "green-salad",
        "title": "Green salad",
        "minutes": 10,
        "ingredients": ["lettuce", "cucumber", "olive oil", "lemon"],
    },
    {
        "slug": "pan-bagnat",
        "title": "Pan bagnat",
        "minutes": 15,
        "ingredients": ["bread", "tuna", "tomato", "egg", "olives"],
    },
]


def create_app():
    app = Flask(__name__)

    @app.get("/")
    def index():
        query = request.args.get("q", "").strip()
        max_minutes = request.args.get("max_minutes", type=int)
        recipes = [
            recipe
            for recipe in RECIPES
            if query.lower() in recipe["title"].lower()
            and (max_minutes is None or recipe["minutes"] <= max_minutes)
        ]
        return render_template("index.html", recipes=recipes, query=query)

    @app.get("/recipes/<slug>")
    def recipe(slug):
        for candidate in RECIPES:
            if candidate["slug"] == slug:
                return render_template("recipe.html", recipe=candidate)
        abort(404)

    return app
