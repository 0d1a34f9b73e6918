"""A recipe site: complete create_app() and the templates as described in the statement."""

from flask import Flask, render_template

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
        return render_template("index.html", recipes=RECIPES)

    return app
