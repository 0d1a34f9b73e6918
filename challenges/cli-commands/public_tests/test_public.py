"""Public checks for the commands: run them while you work."""

from __future__ import annotations


def test_add_then_list(cli):
    """A task added from the command line is listed"""
    result = cli("tasks", "add", "Buy milk")
    assert result.exit_code == 0, result.output
    assert "Added task 1: Buy milk" in result.output
    assert "1 [3] Buy milk" in cli("tasks", "list").output


def test_init_db(cli):
    """init-db creates the database"""
    result = cli("init-db")
    assert result.exit_code == 0, result.output
    assert "Initialized the database." in result.output
