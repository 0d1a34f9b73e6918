"""The JSON API over lists and their items."""

from __future__ import annotations

import sqlite3

from flask import Blueprint, jsonify, request

from .db import get_db

bp = Blueprint("todo", __name__)


def error(status: int, message: str):
    return jsonify(error=message), status


def text_field(name: str) -> str | None:
    """A string field of the JSON body that is not blank, or None."""
    data = request.get_json(silent=True)
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def item_json(row: sqlite3.Row) -> dict:
    return {"id": row["id"], "text": row["text"], "done": bool(row["done"])}


@bp.get("/lists")
def all_lists():
    rows = (
        get_db()
        .execute(
            "SELECT list.id, list.name, COUNT(item.id) AS items FROM list"
            " LEFT JOIN item ON item.list_id = list.id GROUP BY list.id ORDER BY list.id"
        )
        .fetchall()
    )
    return jsonify([dict(row) for row in rows])


@bp.post("/lists")
def create_list():
    name = text_field("name")
    if name is None:
        return error(400, "name must be a non-empty string")
    db = get_db()
    try:
        cursor = db.execute("INSERT INTO list (name) VALUES (?)", (name,))
        db.commit()
    except sqlite3.IntegrityError:
        return error(409, f"a list named {name!r} already exists")
    return jsonify(id=cursor.lastrowid, name=name, items=[]), 201


@bp.get("/lists/<int:list_id>")
def one_list(list_id: int):
    db = get_db()
    row = db.execute("SELECT id, name FROM list WHERE id = ?", (list_id,)).fetchone()
    if row is None:
        return error(404, "no such list")
    items = db.execute(
        "SELECT id, text, done FROM item WHERE list_id = ? ORDER BY id", (list_id,)
    ).fetchall()
    return jsonify(id=row["id"], name=row["name"], items=[item_json(i) for i in items])


@bp.delete("/lists/<int:list_id>")
def delete_list(list_id: int):
    db = get_db()
    if db.execute("DELETE FROM list WHERE id = ?", (list_id,)).rowcount == 0:
        return error(404, "no such list")
    db.commit()
    return "", 204


@bp.post("/lists/<int:list_id>/items")
def add_item(list_id: int):
    text = text_field("text")
    if text is None:
        return error(400, "text must be a non-empty string")
    db = get_db()
    try:
        cursor = db.execute("INSERT INTO item (list_id, text) VALUES (?, ?)", (list_id, text))
        db.commit()
    except sqlite3.IntegrityError:
        # with foreign keys on, SQLite itself refuses an item whose list does not exist
        return error(404, "no such list")
    return jsonify(id=cursor.lastrowid, text=text, done=False), 201
