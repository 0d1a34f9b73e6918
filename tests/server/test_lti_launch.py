"""LTI 1.3 launches against a real platform on loopback: OIDC login, validation, sign-in, the
course from the context, roles, the assignment and its line item; refused launches; deep
linking; the tool's key set."""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from lti_platform import DL_ITEMS, INSTRUCTOR, LEARNER, TEACHING_ASSISTANT, Person
from lti_support import (
    ANN,
    TOOL,
    answer_form,
    authorize,
    launch,
    post_launch,
    reason,
    start_login,
)

from grader.extensions import db
from grader.lti.models import LtiAccount, LtiContext, LtiPlatform, LtiResourceLink
from grader.models import Assignment, Course, Membership

TEACHER = Person("lms-user-tom", "Tom Baker", "tom@school.test", [INSTRUCTOR])
HELLO = {"challenge": "hello-routes"}


def test_the_key_set_publishes_the_key_made_on_first_start(app, client):
    keys = client.get("/lti/jwks").get_json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and keys[0]["use"] == "sig"
    assert "d" not in keys[0]  # the public half only
    assert len(list((Path(app.instance_path) / "lti-keys").glob("*.pem"))) == 1
    assert client.get("/lti/jwks").get_json()["keys"] == keys  # kept, not made again


def test_a_launch_signs_in_makes_the_course_and_lands_on_the_challenge(app, client, platform):
    answer = launch(client, platform, custom=HELLO)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/challenges/hello-routes?course=lti-1-flask-101"
    cookie = next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "SameSite=None" in cookie and "Secure" in cookie  # sent inside the LMS's iframe
    page = client.get(answer.headers["Location"])
    assert page.status_code == 200
    assert "Assignment of" in page.get_data(as_text=True)  # opened as course work
    assert "no due time" in page.get_data(as_text=True)
    policy = page.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {platform.issuer}" in policy
    assert "X-Frame-Options" not in page.headers
    with app.app_context():
        account = db.session.scalar(db.select(LtiAccount))
        assert (account.issuer, account.subject) == (platform.issuer, ANN.subject)
        assert (account.name, account.email) == ("Ann Lee", "ann@school.test")
        assert account.user.username == "ann.lee" and not account.user.check_password("")
        course = db.session.scalar(db.select(Course).where(Course.slug == "lti-1-flask-101"))
        assert course.title == "Flask course flask-101"
        member = db.session.scalar(db.select(Membership).where(Membership.course_id == course.id))
        assert (member.user.username, member.role) == ("ann.lee", "student")
        assignment = db.session.scalar(db.select(Assignment))
        assert assignment.course_id == course.id and assignment.due_at is None
        link = db.session.scalar(db.select(LtiResourceLink))
        assert link.lineitem_url == platform.lineitem_url("link-1")
        assert link.challenge.slug == "hello-routes"
        assert db.session.scalar(db.select(LtiPlatform)).last_launch_at is not None


def test_pages_outside_a_launch_stay_unframable(client):
    page = client.get("/challenges/")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_a_second_launch_finds_the_same_account_and_course(app, client, platform):
    launch(client, platform, custom=HELLO)
    client.post("/auth/logout")
    again = launch(client, platform, custom=HELLO)
    assert again.headers["Location"] == "/challenges/hello-routes?course=lti-1-flask-101"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(LtiAccount.id))) == 1
        assert db.session.scalar(db.select(db.func.count(LtiContext.id))) == 1
        assert db.session.scalar(db.select(db.func.count(Assignment.id))) == 1


@pytest.mark.parametrize(("roles", "course_role"), [
    ([INSTRUCTOR], "teacher"), ([TEACHING_ASSISTANT], "assistant"), ([LEARNER], "student")])
def test_lms_roles_become_course_roles(app, client, platform, roles, course_role):
    person = Person("lms-user-x", "Xavier Ortiz", "x@school.test", roles)
    assert launch(client, platform, person, custom=HELLO).status_code == 302
    with app.app_context():
        member = db.session.scalar(db.select(Membership))
        assert member.role == course_role


def test_the_due_time_comes_from_the_lms_when_it_gives_one(app, client, platform):
    launch(client, platform, custom={**HELLO, "due_at": "2026-12-24T17:00:00Z"})
    with app.app_context():
        assert db.session.scalar(db.select(Assignment)).due_at == datetime(2026, 12, 24, 17)
    client.post("/auth/logout")
    launch(client, platform, custom={**HELLO, "due_at": "$ResourceLink.submission.endDateTime"})
    with app.app_context():  # an unexpanded variable is no due time, and changes nothing
        assert db.session.scalar(db.select(Assignment)).due_at == datetime(2026, 12, 24, 17)


def test_a_link_to_an_unknown_challenge_is_a_clear_404(client, platform):
    answer = launch(client, platform, custom={"challenge": "no-such-challenge"})
    assert answer.status_code == 404
    assert "names the challenge 'no-such-challenge'" in reason(answer)


def _expired(claims: dict) -> None:
    claims["iat"], claims["exp"] = int(time.time()) - 900, int(time.time()) - 600


def _other_audience(claims: dict) -> None:
    claims["aud"], claims["azp"] = "someone-else", "someone-else"


def _other_deployment(claims: dict) -> None:
    claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = "not-registered"


FORGER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize(("tamper", "expected"), [
    (_expired, "the launch has expired: start it again from the LMS"),
    (_other_audience, "no platform with this issuer and client id is registered here"),
    (_other_deployment, "this deployment of the tool is not registered here"),
], ids=["expired", "other-audience", "other-deployment"])
def test_broken_launches_are_refused_with_a_clear_page(app, client, platform, tamper, expected):
    answer = launch(client, platform, custom=HELLO, tamper=tamper)
    assert answer.status_code == 400
    assert reason(answer) == f"The tool did not accept it: {expected}."
    assert "/auth/logout" not in answer.get_data(as_text=True)  # nobody was signed in
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(LtiAccount.id))) == 0


def test_a_forged_launch_is_refused(app, client, platform):
    def forge(claims: dict) -> None:
        claims["__token__"] = platform.sign({k: v for k, v in claims.items()}, key=FORGER)

    answer = launch(client, platform, custom=HELLO, tamper=forge)
    assert answer.status_code == 400
    assert reason(answer) == ("The tool did not accept it: its signature does not match the "
                              "platform's keys.")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(LtiAccount.id))) == 0


def test_a_replayed_launch_is_refused(app, client, platform):
    form = authorize(start_login(client, platform.launch(ANN, custom=HELLO)))
    assert post_launch(client, platform, form).status_code == 302
    again = post_launch(client, platform, form)
    assert again.status_code == 400
    assert reason(again) == ("The tool did not accept it: this launch was already used or is "
                             "too old: start it again from the LMS.")
    stranger = app.test_client()  # the same id_token from another browser, without its cookie
    assert post_launch(stranger, platform, form).status_code == 400


def test_a_launch_this_browser_did_not_start_is_refused(app, client, platform):
    form = authorize(start_login(client, platform.launch(ANN, custom=HELLO)))
    other = app.test_client()
    answer = post_launch(other, platform, form)
    assert answer.status_code == 400
    assert "this browser did not start this launch" in reason(answer)


def test_the_login_without_a_cookie_check_shows_the_new_window_fallback(client, platform):
    page = client.get("/lti/login", query_string=platform.launch(ANN, custom=HELLO))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="lti-new-window"' in text and "js/lti-login.js" in text
    assert "lti1p3_new_window" in text
    assert f"frame-ancestors 'self' {platform.issuer}" in page.headers["Content-Security-Policy"]


def test_the_login_may_be_framed_by_the_lms_site_that_posted_it(client, platform):
    # Canvas frames the tool from the school's own site, which is not the issuer's.
    school = "https://school.lms.test"
    page = client.post("/lti/login", data=platform.launch(ANN, custom=HELLO),
                       headers={"Origin": school})
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {platform.issuer} {school}" in policy
    stranger = client.post("/lti/login", data={**platform.launch(ANN), "iss": school,
                                               "lti1p3_new_window": "1"},
                           headers={"Origin": school})
    assert stranger.status_code == 400  # not a registered platform: not framable by its site
    assert school not in stranger.headers["Content-Security-Policy"]


def test_a_login_from_an_unknown_platform_is_refused(client, platform):
    params = {**platform.launch(ANN), "iss": "https://unknown.example", "client_id": "nobody"}
    answer = client.get("/lti/login", query_string={**params, "lti1p3_new_window": "1"})
    assert answer.status_code == 400
    assert "no platform with this issuer" in reason(answer)


def test_deep_linking_returns_a_resource_link_with_a_line_item(app, client, platform):
    answer = launch(client, platform, TEACHER, message_type="LtiDeepLinkingRequest")
    assert answer.status_code == 200
    picker = answer.get_data(as_text=True)
    assert 'data-challenge="hello-routes"' in picker
    launch_id = re.search(r'name="launch_id" value="([^"]+)"', picker).group(1)
    chosen = client.post("/lti/deep-link", data={"launch_id": launch_id,
                                                 "challenge": "hello-routes"})
    assert chosen.status_code == 200
    assert f"form-action 'self' {platform.issuer}" in chosen.headers["Content-Security-Policy"]
    action, token = answer_form(chosen.get_data(as_text=True))
    assert action == platform.issuer + "/deep_link_return"
    back = requests.post(action, data={"JWT": token}, timeout=10)  # what the browser posts
    assert back.status_code == 200, back.text
    claims = platform.deep_link_answers[-1]
    assert claims["iss"] == platform.client_id
    item = claims[DL_ITEMS][0]
    assert item["type"] == "ltiResourceLink" and item["url"] == TOOL + "/lti/launch"
    assert item["custom"]["challenge"] == "hello-routes"
    assert item["lineItem"]["scoreMaximum"] == 100 and item["lineItem"]["resourceId"] == \
        "hello-routes"
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-flask-101"
    assert jwt.get_unverified_header(token)["kid"] == client.get("/lti/jwks").get_json()[
        "keys"][-1]["kid"]
    with app.app_context():  # the course has it already, before any learner launches it
        assert db.session.scalar(db.select(Assignment)).challenge.slug == "hello-routes"


def test_deep_linking_is_for_instructors_only(client, platform):
    answer = launch(client, platform, ANN, message_type="LtiDeepLinkingRequest")
    assert answer.status_code == 403
    assert "only the course's instructors" in reason(answer)


def test_a_deep_link_choice_needs_its_own_request(client, platform):
    launch(client, platform, TEACHER, message_type="LtiDeepLinkingRequest")
    answer = client.post("/lti/deep-link", data={"launch_id": "lti1p3-launch-forged",
                                                 "challenge": "hello-routes"})
    assert answer.status_code == 400
    assert "belongs to another deep linking request" in reason(answer)
