"""Registering LMS platforms: `flask --app grader lti register|list|keys`, and the admin page
with the platform list (last launch, last passback) and its registration form."""

from __future__ import annotations

import pytest
from lti_platform import Platform
from lti_support import ANN, launch
from server_support import AuthActions

from grader.extensions import db
from grader.lti.models import LtiPlatform


@pytest.fixture
def lms() -> Platform:
    """A platform's registration values (not started: registering reaches nothing)."""
    return Platform()


def test_the_register_command_registers_then_updates_the_platform(app, lms):
    runner = app.test_cli_runner()
    first = runner.invoke(args=lms.register_args())
    assert first.exit_code == 0, first.output
    assert f"Registered platform {lms.issuer} (client id {lms.client_id}; deployments: " \
           f"{lms.deployment_id})" in first.output
    assert "Key set (JWKS) URL: /lti/jwks" in first.output
    again = runner.invoke(args=[*lms.register_args()[:-2], "--jwks-url",
                                lms.issuer + "/keys/v2", "--deployment-id", "deployment-2"])
    assert again.exit_code == 0, again.output
    assert f"Updated platform {lms.issuer}" in again.output
    with app.app_context():
        rows = list(db.session.scalars(db.select(LtiPlatform)))
        assert len(rows) == 1
        assert rows[0].jwks_url == lms.issuer + "/keys/v2"
        assert rows[0].deployment_ids == [lms.deployment_id, "deployment-2"]
    listed = runner.invoke(args=["lti", "list"])
    assert listed.exit_code == 0, listed.output
    assert f"{lms.issuer}  client {lms.client_id}  deployments {lms.deployment_id}, " \
           "deployment-2" in listed.output
    assert "last launch never · last passback never" in listed.output


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--issuer", "canvas.example", "the issuer must be an http:// or https:// URL"),
    ("--token-url", "ftp://lms.example/token", "the token URL must be an http:// or https://"),
    ("--deployment-id", "x" * 300, "A deployment id has at most 255 characters"),
])
def test_the_register_command_refuses_bad_values_clearly(app, lms, option, value, message):
    args = lms.register_args()
    args[args.index(option) + 1] = value
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(LtiPlatform.id))) == 0


def test_keys_rotate_keeps_the_old_public_key_published_until_removed(app, client):
    old = client.get("/lti/jwks").get_json()["keys"]
    runner = app.test_cli_runner()
    rotated = runner.invoke(args=["lti", "keys", "rotate"])
    assert rotated.exit_code == 0, rotated.output
    keys = client.get("/lti/jwks").get_json()["keys"]
    assert [k["kid"] for k in keys[:-1]] == [old[0]["kid"]] and keys[-1]["kid"] != old[0]["kid"]
    assert f"Now signing with {keys[-1]['kid']}; {old[0]['kid']} stays in /lti/jwks" in \
        rotated.output
    listed = runner.invoke(args=["lti", "keys", "list"]).output.splitlines()
    assert listed[-1].startswith(f"{keys[-1]['kid']}  signing")
    # `--`: a key id (a base64url thumbprint) may begin with "-".
    refused = runner.invoke(args=["lti", "keys", "remove", "--", keys[-1]["kid"]])
    assert refused.exit_code == 1  # the signing key stays
    removed = runner.invoke(args=["lti", "keys", "remove", "--", old[0]["kid"]])
    assert removed.exit_code == 0, removed.output
    assert [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]] == [keys[-1]["kid"]]


def test_a_launch_after_a_key_rotation_still_works(app, client, platform):
    assert app.test_cli_runner().invoke(args=["lti", "keys", "rotate"]).exit_code == 0
    assert launch(client, platform, ANN, custom={"challenge": "hello-routes"}).status_code == 302


def test_the_admin_page_lists_platforms_and_registers_one(app, client, make_user, platform):
    launch(app.test_client(), platform, ANN, custom={"challenge": "hello-routes"})
    make_user("boss", "admin")
    AuthActions(client).login("boss")
    page = client.get("/admin/lti")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'data-issuer="{platform.issuer}" data-client="{platform.client_id}"' in text
    row = text[text.index(f'data-issuer="{platform.issuer}"'):]
    row = row[:row.index("</tr>")]
    assert 'class="last-launch">never' not in row  # launched just now
    assert 'class="last-passback">never' in row
    other = Platform()
    form = {"issuer": other.issuer, "client_id": other.client_id,
            "deployment_ids": "d-1, d-2", "login_url": other.login_url,
            "token_url": other.token_url, "jwks_url": other.jwks_url}
    answer = client.post("/admin/lti", data=form, follow_redirects=True)
    assert answer.status_code == 200
    assert f"Registered {other.issuer} (client id {other.client_id})." in \
        answer.get_data(as_text=True)
    bad = client.post("/admin/lti", data={**form, "login_url": "not a url"})
    assert bad.status_code == 422
    assert "the login URL must be an http:// or https:// URL" in bad.get_data(as_text=True)
    with app.app_context():
        added = db.session.scalar(db.select(LtiPlatform).where(
            LtiPlatform.issuer == other.issuer))
        assert added.deployment_ids == ["d-1", "d-2"]


def test_the_admin_page_is_for_admins(client, auth, platform):
    auth.login("teach")
    assert client.get("/admin/lti").status_code == 403
    assert client.post("/admin/lti", data={"issuer": "https://x.example"}).status_code == 403
