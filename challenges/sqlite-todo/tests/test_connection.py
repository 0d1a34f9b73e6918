"""Hidden tests: the database file, the init-db command and the connection's life."""

from __future__ import annotations

import pytest

# Runs in the learner process: spy on sqlite3.connect while the test client makes requests, so the
# test sees every connection the app opens and whether it was closed when its request ended.
COUNT_CONNECTIONS = """
import sqlite3
import threading

opened = []
real_connect = sqlite3.connect
result = {}


def spy(*args, **kwargs):
    connection = real_connect(*args, **kwargs)
    opened.append(connection)
    return connection


def is_open(connection):
    try:
        connection.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return False
    return True


def requests():
    # a thread of its own starts outside this app context, as a real request does
    client = app.test_client()
    result["statuses"] = [client.post("/lists", json={"name": "Spied"}).status_code,
                          client.get("/lists/1").status_code]
    result["opened"] = len(opened)
    result["open"] = sum(map(is_open, opened))


sqlite3.connect = spy
try:
    thread = threading.Thread(target=requests)
    thread.start()
    thread.join(10)
finally:
    sqlite3.connect = real_connect
"""


def run(learner, code: str):
    """Execute statements in the learner process; the value they leave in `result` comes back."""
    return learner.eval(f"(lambda ns: (exec({code!r}, ns), ns.get('result'))[1])({{'app': app}})")


@pytest.mark.points(10)
def test_init_db_creates_the_tables(learner, cli):
    """flask init-db creates the tables in a file in the instance folder"""
    result = cli("init-db")
    assert result.exit_code == 0, "flask init-db should succeed"
    assert "Initialized the database." in result.output, "Confirm that the database is ready"
    path, folder = learner.eval("[app.config['DATABASE'], app.instance_path]")
    assert path == f"{folder}/todo.sqlite", "DATABASE should be todo.sqlite in the instance folder"
    tables = learner.eval(
        "sorted(r[0] for r in __import__('sqlite3').connect(app.config['DATABASE'])"
        ".execute(\"SELECT name FROM sqlite_master WHERE type = 'table'\")"
        " if not r[0].startswith('sqlite_'))"
    )
    assert tables == ["item", "list"], "init-db should run schema.sql"


@pytest.mark.points(5)
def test_database_path_comes_from_the_configuration(learner):
    """A test configuration can choose another database file"""
    path = learner.eval(
        "__import__('todo').create_app({'TESTING': True, 'DATABASE': 'other.sqlite'})"
        ".config['DATABASE']"
    )
    assert path == "other.sqlite", "create_app(test_config) should override DATABASE"


@pytest.mark.points(15)
def test_one_connection_per_app_context(learner):
    """get_db() gives the same connection within one app context, with rows by column name"""
    same = learner.eval("(lambda db: db.get_db() is db.get_db())(__import__('todo.db').db)")
    assert same, "Keep the connection in g so every call in one context shares it"
    assert learner.eval(
        "__import__('todo.db').db.get_db().row_factory is __import__('sqlite3').Row"
    ), "Set the connection's row_factory so rows can be read by column name"


@pytest.mark.points(15)
def test_connection_closed_after_each_request(learner):
    """Each request opens at most one connection and closes it when it ends"""
    learner.call("todo.db:init_db")
    result = run(learner, COUNT_CONNECTIONS)
    assert result.get("statuses") == [201, 200], "POST /lists and GET /lists/<id> should work"
    assert result["opened"] > 0, "The test watches sqlite3.connect(): open connections with it"
    assert result["opened"] <= 2, "Open one connection per request, not one per query"
    assert result["open"] == 0, "A connection is still open after its request: close it at teardown"
