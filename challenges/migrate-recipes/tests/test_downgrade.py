"""Hidden tests: `flask db downgrade` undoes the migration, keeping the data it can."""

from __future__ import annotations

import pytest
from schema import (
    FIRST,
    FIRST_SCHEMA,
    NEW_SCHEMA,
    flask_db,
    insert_recipes,
    revision,
    schema,
    titles,
)


@pytest.mark.points(15)
def test_downgrade_to_the_first_revision(cli, learner):
    """flask db downgrade goes back to the first revision and keeps the recipes"""
    flask_db(cli, "upgrade")
    assert "servings" in schema(learner)["recipe"]["columns"], "flask db upgrade should add servings"
    insert_recipes(learner, ["Pancakes", "Tomato soup"], servings=3)
    flask_db(cli, "downgrade", FIRST)
    found = schema(learner)
    assert sorted(found) == sorted(FIRST_SCHEMA), "Downgrading should drop the ingredient table"
    assert found["recipe"] == FIRST_SCHEMA["recipe"], (
        "downgrade() should undo everything upgrade() did to recipe, in reverse order"
    )
    assert revision(learner) == [FIRST], "The database should be at the first revision again"
    assert titles(learner) == ["Pancakes", "Tomato soup"], (
        "The recipes should survive the downgrade"
    )


@pytest.mark.points(10)
def test_down_to_nothing_and_up_again(cli, learner):
    """The migrations go down to an empty database and up again"""
    flask_db(cli, "upgrade")
    flask_db(cli, "downgrade", "base")
    assert sorted(schema(learner)) == ["alembic_version"], (
        "At the base, every table the migrations made should be gone"
    )
    flask_db(cli, "upgrade")
    assert schema(learner) == NEW_SCHEMA, "Upgrading again should build the same schema"
