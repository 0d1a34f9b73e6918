"""Accounts: password changes end other sessions and tokens; cookies over HTTPS; ownership."""

from __future__ import annotations

import io
from datetime import timedelta

from server_support import PASSWORD, AuthActions

from grader.services import accounts, tokens


def test_changing_the_password_ends_other_sessions_and_tokens(app, client, make_user):
    _, headers = make_user("ann")
    AuthActions(client).login("ann")
    elsewhere = app.test_client()
    AuthActions(elsewhere).login("ann")
    assert elsewhere.get("/profile/").status_code == 200
    changed = client.post("/profile/password", data={
        "password-current": PASSWORD, "password-new": "a-brand-new-pass-1",
        "password-confirm": "a-brand-new-pass-1"}, follow_redirects=True)
    page = changed.get_data(as_text=True)
    assert changed.status_code == 200 and "Your password is changed" in page
    assert "1 API token(s) were revoked" in page
    assert client.get("/profile/").status_code == 200, "this session carries on"
    assert elsewhere.get("/profile/").status_code == 302, "the other session is signed out"
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    with app.app_context():
        assert accounts.authenticate("ann", "a-brand-new-pass-1").username == "ann"


def test_a_wrong_current_password_changes_nothing(app, client, make_user):
    make_user("ann")
    AuthActions(client).login("ann")
    refused = client.post("/profile/password", data={
        "password-current": "not-it", "password-new": "a-brand-new-pass-1",
        "password-confirm": "a-brand-new-pass-1"})
    assert refused.status_code == 401
    assert "The current password is not right" in refused.get_data(as_text=True)
    with app.app_context():
        assert accounts.authenticate("ann", PASSWORD).username == "ann"


def test_over_https_cookies_are_secure_and_hsts_is_sent(app, client, make_user):
    make_user("ann")
    plain = client.post("/auth/login", data={"username": "ann", "password": PASSWORD,
                                              "remember": "y"})
    cookies = plain.headers.getlist("Set-Cookie")
    assert cookies and not any("Secure" in c for c in cookies)
    assert "Strict-Transport-Security" not in plain.headers
    secure = app.test_client().post("/auth/login", base_url="https://grader.example",
                                    data={"username": "ann", "password": PASSWORD,
                                          "remember": "y"})
    cookies = secure.headers.getlist("Set-Cookie")
    assert {c.split("=", 1)[0] for c in cookies} >= {"session", "remember_token"}
    assert all("; Secure" in c for c in cookies)
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_behind_a_trusted_proxy_the_forwarded_scheme_counts(tmp_path, monkeypatch):
    from server_support import make_app

    app = make_app(tmp_path, monkeypatch, GRADER_PROXY_HOPS=1)
    page = app.test_client().get("/auth/login", headers={"X-Forwarded-Proto": "https"})
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")


def test_remember_me_lasts_fourteen_days(app):
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=14)


def test_a_teacher_replaces_only_challenges_they_own(app, client, make_user):
    from test_api import challenge_archive

    _, first = make_user("teach", "teacher")
    _, second = make_user("other", "teacher")
    _, admin = make_user("boss", "admin")

    def upload(headers):
        return client.post("/api/v1/challenges?wait=60", headers=headers,
                           data={"archive": (io.BytesIO(challenge_archive("owned-one")), "c.zip")},
                           content_type="multipart/form-data")

    assert upload(first).status_code == 201
    refused = upload(second)
    assert refused.status_code == 403 and "belongs to another teacher" in \
        refused.get_json()["error"]["message"]
    assert upload(admin).status_code == 201
    # The bundled challenge (synced, no owner) is an admin's to replace.
    bundled = client.post("/api/v1/challenges", headers=first,
                          data={"archive": (io.BytesIO(challenge_archive()), "c.zip")},
                          content_type="multipart/form-data")
    assert bundled.status_code == 403
    with app.app_context():
        assert tokens.list_for(accounts.by_username("teach"))
