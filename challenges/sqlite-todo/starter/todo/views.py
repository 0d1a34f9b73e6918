"""The JSON API over lists and their items."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .db import get_db

bp = Blueprint("todo", __name__)


@bp.get("/lists")
def all_lists():
    rows = (
        get_db()
        .execute(
            "SELECT list.id, list.name, COUNT(item.id) FROM list"
            " LEFT JOIN item ON item.list_id = list.id GROUP BY list.id ORDER BY list.id"
        )
        .fetchall()
    )
    return jsonify([{"id": row[0], "name": row[1], "items": row[2]} for row in rows])


# To do: POST /lists, GET /lists/<id>, DELETE /lists/<id>, POST /lists/<id>/items
