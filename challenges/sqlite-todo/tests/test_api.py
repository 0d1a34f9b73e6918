"""Hidden tests: lists and items through the JSON API."""

from __future__ import annotations

import pytest

COUNT_ITEMS = (
    "__import__('sqlite3').connect(app.config['DATABASE'])"
    ".execute('SELECT COUNT(*) FROM item').fetchone()[0]"
)


@pytest.fixture(autouse=True)
def fresh_database(learner):
    # the same as `flask init-db`, without the cost of loading every flask command
    learner.call("todo.db:init_db")


@pytest.mark.points(15)
def test_lists_and_items_are_saved(client):
    """Lists and items are saved and read back on later requests"""
    r = client.post("/lists", json={"name": "Groceries"})
    assert r.status_code == 201, "Creating a list should answer 201"
    assert r.get_json() == {"id": 1, "name": "Groceries", "items": []}, "Answer the new list"
    r = client.post("/lists/1/items", json={"text": "milk"})
    assert r.status_code == 201, "Adding an item should answer 201"
    assert r.get_json() == {"id": 1, "text": "milk", "done": False}, "Answer the new item"
    client.post("/lists/1/items", json={"text": "eggs"})
    client.post("/lists", json={"name": "Chores"})
    r = client.get("/lists/1")
    assert r.status_code == 200, "GET /lists/<id> should find a saved list"
    assert r.get_json() == {
        "id": 1,
        "name": "Groceries",
        "items": [
            {"id": 1, "text": "milk", "done": False},
            {"id": 2, "text": "eggs", "done": False},
        ],
    }, "The changes are gone on the next request: were they committed?"
    assert client.get("/lists").get_json() == [
        {"id": 1, "name": "Groceries", "items": 2},
        {"id": 2, "name": "Chores", "items": 0},
    ], "GET /lists should show every list with its number of items"


@pytest.mark.points(10)
def test_quotes_are_data(client):
    """Names with quotes and SQL in them are stored exactly as sent"""
    names = ["Ann's list", 'x"); DROP TABLE item; --', "O'Brien's \"shed\""]
    for name in names:
        r = client.post("/lists", json={"name": name})
        assert r.status_code == 201, "Quotes in a value must not break the query: pass parameters"
    assert [entry["name"] for entry in client.get("/lists").get_json()] == names, (
        "Values should reach the database as data, never as SQL"
    )
    assert client.post("/lists/2/items", json={"text": "it's fine"}).status_code == 201, (
        "Items may hold quotes too"
    )


@pytest.mark.points(10)
def test_duplicate_name_is_a_conflict(client):
    """A list name that is taken is refused with 409"""
    client.post("/lists", json={"name": "Groceries"})
    r = client.post("/lists", json={"name": "Groceries"})
    assert r.status_code == 409, "The UNIQUE constraint fired: answer 409, not a server error"
    assert "error" in (r.get_json() or {}), "Explain the problem in an 'error' field"
    assert len(client.get("/lists").get_json()) == 1, "The duplicate must not be stored"


@pytest.mark.points(4)
@pytest.mark.parametrize(
    ("path", "bodies"),
    [
        ("/lists", [{}, {"name": ""}, {"name": "   "}, {"name": 7}, ["Groceries"]]),
        ("/lists/1/items", [{}, {"text": ""}, {"text": None}, {"text": ["milk"]}]),
    ],
    ids=["lists", "items"],
)
def test_bad_bodies_are_refused(client, learner, path, bodies):
    """Missing or blank names and texts are refused with 400"""
    client.post("/lists", json={"name": "Groceries"})
    before = client.get("/lists").get_json()
    for body in bodies:
        r = client.post(path, json=body)
        assert r.status_code == 400, "Check the JSON body before writing to the database"
        assert "error" in (r.get_json() or {}), "Explain the problem in an 'error' field"
    assert client.get("/lists").get_json() == before, "A refused list must not be stored"
    assert learner.eval(COUNT_ITEMS) == 0, "A refused item must not be stored"


@pytest.mark.points(10)
def test_item_for_an_unknown_list(client, learner):
    """An item for a list that does not exist is refused with 404"""
    r = client.post("/lists/42/items", json={"text": "milk"})
    assert r.status_code == 404, "There is no list 42 to add an item to"
    assert learner.eval(COUNT_ITEMS) == 0, (
        "An item was stored for a missing list: does SQLite enforce the foreign key?"
    )
    assert client.get("/lists/42").status_code == 404, "GET of an unknown list should be 404"


@pytest.mark.points(15)
def test_deleting_a_list_deletes_its_items(client, learner):
    """Deleting a list deletes its items too"""
    client.post("/lists", json={"name": "Groceries"})
    client.post("/lists", json={"name": "Chores"})
    for text in ("milk", "eggs"):
        client.post("/lists/1/items", json={"text": text})
    client.post("/lists/2/items", json={"text": "dishes"})
    r = client.delete("/lists/1")
    assert r.status_code == 204, "Deleting a list should answer 204 with no body"
    assert client.get("/lists/1").status_code == 404, "A deleted list is gone"
    assert learner.eval(COUNT_ITEMS) == 1, (
        "The items of the deleted list are still in the table: SQLite only cascades when asked to"
    )
    assert client.get("/lists/2").get_json()["items"] == [
        {"id": 3, "text": "dishes", "done": False}
    ], "Other lists keep their items"
    assert client.delete("/lists/1").status_code == 404, "Deleting an unknown list should be 404"
