"""A recipe box on Flask-SQLAlchemy, its schema managed by Flask-Migrate."""

from __future__ import annotations

from flask import Flask, abort, request
from flask_migrate import Migrate
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from models import Ingredient, Recipe, db

# SQLite cannot ALTER a table's constraints: batch mode copies the table instead
migrate = Migrate(render_as_batch=True)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///recipes.sqlite"
    if test_config is not None:
        app.config.update(test_config)
    db.init_app(app)
    migrate.init_app(app, db)
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))

    @app.get("/recipes")
    def all_recipes():
        query = select(Recipe).options(selectinload(Recipe.ingredients)).order_by(Recipe.id)
        return [recipe.to_json() for recipe in db.session.scalars(query)]

    @app.post("/recipes")
    def create_recipe():
        data = request.get_json(silent=True)
        data = data if isinstance(data, dict) else {}
        title, servings = data.get("title"), data.get("servings", 2)
        items = data.get("ingredients", [])
        if not isinstance(title, str) or not title.strip() or len(title) > 120:
            abort(400, "title must be a non-blank string of at most 120 characters")
        if isinstance(servings, bool) or not isinstance(servings, int) or servings < 1:
            abort(400, "servings must be a whole number from 1")
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("name"), str)
            and isinstance(i.get("quantity"), str) for i in items
        ):
            abort(400, "ingredients must be a list of {name, quantity} strings")
        recipe = Recipe(
            title=title, servings=servings,
            ingredients=[Ingredient(name=i["name"], quantity=i["quantity"]) for i in items],
        )
        db.session.add(recipe)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            abort(409, "a recipe with this title exists")
        return recipe.to_json(), 201

    return app
