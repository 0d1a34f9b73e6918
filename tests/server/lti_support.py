"""Helpers for the LTI tests: a registered test platform and the browser's part of a launch."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from lti_platform import Person, Platform, serve

from grader.extensions import db
from grader.lti import platforms
from grader.lti.models import LtiPassback

TOOL = "http://localhost"  # the Flask test client's host
ANN = Person("lms-user-ann", "Ann Lee", "ann@school.test")


@pytest.fixture
def platform(app: Flask) -> Iterator[Platform]:
    """A running platform registered with the app, which it reaches over real HTTP for the
    tool's key set (the app is served on loopback too)."""
    lms = Platform().start()
    with serve(app) as tool_url:
        lms.tool_launch_url = TOOL + "/lti/launch"
        lms.tool_jwks_url = tool_url + "/lti/jwks"
        with app.app_context():
            platforms.register(lms.issuer, lms.client_id, [lms.deployment_id], lms.login_url,
                               lms.token_url, lms.jwks_url)
        try:
            yield lms
        finally:
            lms.stop()


def start_login(client: FlaskClient, params: dict[str, str]) -> str:
    """The OIDC login initiation (cookies checked: the browser's part); the platform's
    authorization URL the tool redirects to."""
    answer = client.get("/lti/login?" + urlencode({**params, "lti1p3_new_window": "1"}))
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    return answer.headers["Location"]


def authorize(url: str) -> dict[str, str]:
    """What the platform's authorization page auto-posts to the tool: id_token and state."""
    page = requests.get(url, timeout=10)
    assert page.status_code == 200, page.text
    fields = dict(re.findall(r'name="(id_token|state)" value="([^"]*)"', page.text))
    assert set(fields) == {"id_token", "state"}, page.text
    return fields


def answer_form(page: str) -> tuple[str, str]:
    """The deep linking answer page's form: where it posts, and the signed JWT."""
    found = re.search(r'<form method="post" action="([^"]+)" id="lti-deep-link-answer"', page)
    token = re.search(r'name="JWT" value="([^"]+)"', page)
    assert found and token, page[:2000]
    return found.group(1), token.group(1)


def post_launch(client: FlaskClient, lms: Platform, form: dict[str, str]) -> Any:
    """The browser posts the id_token to the tool, from the platform's page."""
    return client.post("/lti/launch", data=form, headers={"Origin": lms.issuer})


def launch(client: FlaskClient, lms: Platform, person: Person = ANN, **options: Any) -> Any:
    """A whole launch as a browser makes it; the tool's answer to the id_token."""
    form = authorize(start_login(client, lms.launch(person, **options)))
    return post_launch(client, lms, form)


def reason(answer: Any) -> str:
    """The reason on a refused launch's page."""
    found = re.search(r'id="lti-reason">(.*?)</p>', answer.get_data(as_text=True), re.DOTALL)
    assert found, answer.get_data(as_text=True)[:2000]
    return found.group(1).replace("&#39;", "'")


def wait_for(condition: Callable[[], Any], timeout: float = 30.0, what: str = "") -> Any:
    """Poll until `condition()` is truthy; its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or condition}")


def passback_row(app: Flask) -> LtiPassback | None:
    """The only passback row (the tests launch one learner on one link)."""
    with app.app_context():
        row = db.session.scalar(db.select(LtiPassback))
        if row is not None:
            db.session.expunge(row)
        return row
