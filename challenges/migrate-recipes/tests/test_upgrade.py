"""Hidden tests: `flask db upgrade` builds the schema the models describe, keeping the data."""

from __future__ import annotations

import itertools

import pytest
from schema import (
    FIRST,
    FIRST_SCHEMA,
    HEADS,
    NEW_SCHEMA,
    REVISIONS,
    flask_db,
    insert_recipes,
    revision,
    schema,
)


@pytest.mark.points(20)
def test_upgrade_builds_the_new_schema(cli, learner):
    """flask db upgrade brings an empty database to the schema of the models"""
    flask_db(cli, "upgrade")
    found = schema(learner)
    assert sorted(found) == sorted(NEW_SCHEMA), (
        "After the upgrade: recipe, ingredient and alembic_version"
    )
    assert found["recipe"]["columns"] == NEW_SCHEMA["recipe"]["columns"], (
        "recipe should gain the servings column"
    )
    assert found["recipe"]["not_null"] == NEW_SCHEMA["recipe"]["not_null"], (
        "servings is NOT NULL, like the model's column"
    )
    assert found["recipe"]["unique"] == NEW_SCHEMA["recipe"]["unique"], (
        "Titles are unique: add the constraint, with the name the naming convention gives it"
    )
    assert found["ingredient"] == NEW_SCHEMA["ingredient"], (
        "The ingredient table should match the Ingredient model, foreign key included"
    )
    assert revision(learner) == learner.eval(HEADS), "The database should be at the newest revision"


@pytest.mark.points(15)
def test_models_and_migrations_agree(cli):
    """flask db check finds nothing left to migrate"""
    flask_db(cli, "upgrade")
    # flask db check exits with 1 when the models hold changes that no migration makes
    assert cli("db", "check").exit_code == 0, (
        "After every migration the database should match the models exactly: "
        "compare yours with what flask db migrate would write"
    )


@pytest.mark.points(15)
def test_existing_recipes_survive_the_upgrade(cli, learner, client):
    """Recipes saved at the first revision are still there, with two servings"""
    flask_db(cli, "upgrade", FIRST)
    assert schema(learner) == FIRST_SCHEMA, (
        "The first revision is already applied in production: leave it as it is"
    )
    insert_recipes(learner, ["Pancakes", "Tomato soup"])
    flask_db(cli, "upgrade")
    assert client.get("/recipes").get_json() == [
        {"id": 1, "title": "Pancakes", "servings": 2, "ingredients": []},
        {"id": 2, "title": "Tomato soup", "servings": 2, "ingredients": []},
    ], "Existing rows should keep their data and get 2 servings"


@pytest.mark.points(10)
def test_one_line_of_history(learner):
    """The revisions form one line, from the first revision to a single head"""
    assert len(learner.eval(HEADS)) == 1, (
        "There should be exactly one head: chain each new revision to the one before"
    )
    chain = learner.eval(REVISIONS)
    assert chain[-1] == [FIRST, None], "The first revision should stay the base of the chain"
    assert all(down == newer for (_, down), (newer, _) in itertools.pairwise(chain)), (
        "Each revision should revise the one before it"
    )


@pytest.mark.points(15)
def test_the_app_works_on_the_migrated_database(cli, client):
    """The app saves recipes with ingredients, and refuses a duplicate title, after the upgrade"""
    flask_db(cli, "upgrade")
    r = client.post(
        "/recipes",
        json={
            "title": "Pancakes",
            "servings": 4,
            "ingredients": [
                {"name": "flour", "quantity": "200 g"},
                {"name": "milk", "quantity": "300 ml"},
            ],
        },
    )
    assert r.status_code == 201, "POST /recipes should work once the database is upgraded"
    assert client.get("/recipes").get_json() == [
        {
            "id": 1,
            "title": "Pancakes",
            "servings": 4,
            "ingredients": [
                {"name": "flour", "quantity": "200 g"},
                {"name": "milk", "quantity": "300 ml"},
            ],
        }
    ], "The recipe and its ingredients should be stored"
    assert client.post("/recipes", json={"title": "Pancakes"}).status_code == 409, (
        "The database itself should refuse a second recipe with the same title"
    )
