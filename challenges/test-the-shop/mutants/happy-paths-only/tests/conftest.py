"""Fixtures shared by the tests: a fresh app and its test client for every test."""

from __future__ import annotations

import pytest

from app import create_app


@pytest.fixture
def app():
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()
