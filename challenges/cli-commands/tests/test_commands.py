"""Hidden tests: the flask commands."""

from __future__ import annotations

import pytest


@pytest.mark.points(10)
def test_commands_are_registered(learner, cli):
    """init-db and the tasks group are registered on app.cli, with help texts"""
    commands = learner.eval("sorted(app.cli.list_commands(None))")
    assert "init-db" in commands, "Register the init-db command on app.cli"
    assert "tasks" in commands, "Register the tasks group on app.cli"
    result = cli("tasks", "--help")
    assert result.exit_code == 0, "flask tasks --help should work"
    for name in ("add", "list", "done"):
        assert name in result.output, "The tasks group should hold add, list and done"


@pytest.mark.points(15)
def test_add_and_list(cli):
    """Tasks are added with ids and priorities, and listed in order"""
    assert cli("tasks", "list").output.strip() == "No tasks yet.", "Say so when there is no task"
    first = cli("tasks", "add", "Buy milk")
    assert first.exit_code == 0 and "Added task 1: Buy milk" in first.output, (
        "Confirm the new task and its id"
    )
    second = cli("tasks", "add", "Call the bank", "--priority", "5")
    assert "Added task 2: Call the bank" in second.output, (
        "The --priority option should be accepted"
    )
    lines = [line for line in cli("tasks", "list").output.splitlines() if line.strip()]
    assert lines == ["1 [3] Buy milk", "2 [5] Call the bank"], (
        "List each task as '<id> [<priority>] <title>'"
    )


@pytest.mark.points(15)
@pytest.mark.parametrize("priority", ["0", "6", "urgent"])
def test_bad_priority(cli, priority):
    """A priority outside 1..5 is a usage error and adds nothing"""
    result = cli("tasks", "add", "Nope", "--priority", priority)
    assert result.exit_code == 2, "Let click check the range of the option"
    assert "priority" in result.output.lower(), "The error should name the bad option"
    assert cli("tasks", "list").output.strip() == "No tasks yet.", (
        "A refused task must not be stored"
    )


@pytest.mark.points(15)
def test_done(cli):
    """A task can be marked as done; an unknown id is an error with exit status 1"""
    cli("tasks", "add", "Water plants")
    result = cli("tasks", "done", "1")
    assert result.exit_code == 0 and "Task 1 done" in result.output, "Confirm the finished task"
    assert "1 [3] Water plants (done)" in cli("tasks", "list").output, (
        "Mark finished tasks in the list"
    )
    missing = cli("tasks", "done", "42")
    assert missing.exit_code == 1, "A failing command must exit with a non-zero status"
    assert "No task 42" in missing.output, "Say which task does not exist"


@pytest.mark.points(20)
def test_init_db_asks_before_deleting(cli):
    """init-db asks before deleting existing tasks"""
    cli("tasks", "add", "Keep me")
    refused = cli("init-db", input="n\n")
    assert "This deletes 1 tasks. Continue?" in refused.output, "Ask before deleting data"
    assert refused.exit_code == 1, "Answering no should abort the command"
    assert "Keep me" in cli("tasks", "list").output, "Answering no must keep the tasks"
    accepted = cli("init-db", input="y\n")
    assert accepted.exit_code == 0 and "Initialized the database." in accepted.output, (
        "Answering yes goes on and initializes the database"
    )
    assert cli("tasks", "list").output.strip() == "No tasks yet.", (
        "Answering yes empties the database"
    )


@pytest.mark.points(10)
def test_init_db_on_empty_database_does_not_ask(cli):
    """init-db on an empty database does not ask anything"""
    result = cli("init-db", input="")
    assert result.exit_code == 0, "Nothing to delete, nothing to confirm"
    assert "Continue?" not in result.output, "Only ask when there are tasks to delete"


@pytest.mark.points(15)
def test_web_sees_cli_tasks(cli, client):
    """Tasks added from the command line are served by GET /tasks"""
    cli("tasks", "add", "Write report", "--priority", "4")
    cli("tasks", "done", "1")
    assert client.get("/tasks").get_json() == [
        {"id": 1, "title": "Write report", "priority": 4, "done": True}
    ], "The commands and the views should share one database"
