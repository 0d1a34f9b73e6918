from flask import Flask, abort, request, url_for

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


def head(title):
    css = url_for("static", filename="css/site.css")
    js = url_for("static", filename="js/search.js")
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<link rel="stylesheet" href="{css}"><script src="{js}"></script></head>'
    )


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
        html = head("Recipes") + "<body><h1>Recipes</h1>"
        if query:
            html += f'<p id="query">Results for: {query}</p>'
        html += '<ul id="recipes">'
        for recipe in recipes:
            link = url_for("recipe", slug=recipe["slug"])
            html += (
                f'<li class="recipe"><a href="{link}">{recipe["title"]}</a>'
                f'<span class="minutes">{recipe["minutes"]} min</span></li>'
            )
        html += "</ul>"
        if not recipes:
            html += '<p id="empty">No recipe matches.</p>'
        return html + "</body></html>"

    @app.get("/recipes/<slug>")
    def recipe(slug):
        for candidate in RECIPES:
            if candidate["slug"] == slug:
                items = "".join(f"<li>{i}</li>" for i in candidate["ingredients"])
                return (
                    head(candidate["title"]) + f'<body><h1 id="title">{candidate["title"]}</h1>'
                    f'<p id="minutes">Ready in {candidate["minutes"]} minutes</p>'
                    f'<ul id="ingredients">{items}</ul></body></html>'
                )
        abort(404)

    return app
