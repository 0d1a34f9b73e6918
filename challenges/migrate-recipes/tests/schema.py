"""What the tests need to read the learner's database and migrations.

Alembic prints `flask db current/heads/history` to the stdout it found when it was imported, which
is not the one the `cli` fixture captures: the tests read the revisions themselves instead.
"""

from __future__ import annotations

import re

FIRST = "0b3c9d5e7a21"

# every table with its columns, NOT NULL columns, unique constraints and foreign keys
SCHEMA = (
    "(lambda i: {t: {"
    "'columns': sorted(c['name'] for c in i.get_columns(t)), "
    "'not_null': sorted(c['name'] for c in i.get_columns(t) if not c['nullable']), "
    "'unique': sorted([u['name'], u['column_names']] for u in i.get_unique_constraints(t)), "
    "'foreign_keys': sorted([fk['constrained_columns'], fk['referred_table'], "
    "fk['referred_columns']] for fk in i.get_foreign_keys(t))"
    "} for t in i.get_table_names()})"
    "(__import__('sqlalchemy').inspect(app.extensions['sqlalchemy'].engine))"
)
DATABASE = "__import__('sqlite3').connect(app.extensions['sqlalchemy'].engine.url.database)"

FIRST_SCHEMA = {
    "alembic_version": {
        "columns": ["version_num"],
        "not_null": ["version_num"],
        "unique": [],
        "foreign_keys": [],
    },
    "recipe": {
        "columns": ["id", "title"],
        "not_null": ["id", "title"],
        "unique": [],
        "foreign_keys": [],
    },
}
NEW_SCHEMA = {
    "alembic_version": FIRST_SCHEMA["alembic_version"],
    "recipe": {
        "columns": ["id", "servings", "title"],
        "not_null": ["id", "servings", "title"],
        "unique": [["uq_recipe_title", ["title"]]],
        "foreign_keys": [],
    },
    "ingredient": {
        "columns": ["id", "name", "quantity", "recipe_id"],
        "not_null": ["id", "name", "quantity", "recipe_id"],
        "unique": [],
        "foreign_keys": [[["recipe_id"], "recipe", ["id"]]],
    },
}


def schema(learner) -> dict:
    return learner.eval(SCHEMA)


# (revision, down_revision) of every script in migrations/versions, newest first
REVISIONS = (
    "[[s.revision, s.down_revision] for s in __import__('alembic.script', fromlist=['x'])"
    ".ScriptDirectory('migrations').walk_revisions()]"
)
HEADS = "__import__('alembic.script', fromlist=['x']).ScriptDirectory('migrations').get_heads()"
ERROR_LINE = re.compile(r"^[\w.]*(Error|Exception)\b.*")


def flask_db(cli, *args: str) -> None:
    """Run `flask db <args>`; a failure is reported with the error it ended on."""
    result = cli("db", *args)
    lines = [line.strip() for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if ERROR_LINE.match(line)]
    last = (errors or lines or ["no output"])[-1]
    assert result.exit_code == 0, f"flask db {' '.join(args)} failed: {last[:300]}"


def insert_recipes(learner, titles: list[str], servings: int | None = None) -> None:
    """Rows written straight into the recipe table (without servings: as at the first revision)."""
    if servings is None:
        sql, rows = "INSERT INTO recipe (title) VALUES (?)", [(title,) for title in titles]
    else:
        sql = "INSERT INTO recipe (title, servings) VALUES (?, ?)"
        rows = [(title, servings) for title in titles]
    learner.eval(
        f"(lambda c: (c.executemany({sql!r}, {rows!r}), c.commit(), c.close()) and None)({DATABASE})"
    )


def titles(learner) -> list[str]:
    return learner.eval(
        f"(lambda c: [r[0] for r in c.execute('SELECT title FROM recipe ORDER BY id')])({DATABASE})"
    )


def revision(learner) -> list[str]:
    return learner.eval(
        f"(lambda c: [r[0] for r in c.execute('SELECT version_num FROM alembic_version')])"
        f"({DATABASE})"
    )
