"""A small OAuth 2 provider, served by the tests on 127.0.0.1 with Authlib's server side.

The sandbox has no network, so this stands in for a real identity provider. It offers the
authorization-code grant with PKCE (S256 required), a token endpoint that checks the client's
secret and redirect URI, and a `/userinfo` endpoint behind a bearer token. Every test gets a
fresh client id and secret, handed to the learner's app through the environment.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

import pytest
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector, current_token
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import Flask, jsonify
from werkzeug.serving import make_server

REDIRECT_URI = "http://localhost/auth/callback"
ANN = {"sub": "u-1001", "name": "Ann Example", "email": "ann@example.org"}


@dataclass
class Client(ClientMixin):
    """The learner's app as this provider knows it."""

    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...] = (REDIRECT_URI,)

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in ("profile", "email"))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict
    code_challenge: str | None
    code_challenge_method: str | None

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass
class Token:
    access_token: str
    scope: str
    user: dict
    issued_at: float = field(default_factory=time.time)

    def get_scope(self) -> str:
        return self.scope

    def is_expired(self) -> bool:
        return time.time() > self.issued_at + 3600

    def is_revoked(self) -> bool:
        return False


class StrictCodeChallenge(CodeChallenge):
    """PKCE for every client, confidential ones included, and only with S256."""

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE is required: send an S256 code_challenge")
        return super().validate_code_challenge(grant, redirect_uri)


class Provider:
    """The provider's state, which each test resets and inspects."""

    ann = ANN

    def __init__(self) -> None:
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, Token] = {}
        self.user: dict | None = ANN
        self.app = self._build()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> Client:
        """Forget everything and register a new client for the next test."""
        self.clients.clear()
        self.codes.clear()
        self.tokens.clear()
        self.user = ANN
        client = Client(f"app-{secrets.token_hex(4)}", secrets.token_urlsafe(24))
        self.clients[client.client_id] = client
        return client

    def _build(self) -> Flask:
        provider = self
        app = Flask("oauth-provider")

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic",
                                                                "client_secret_post"]

            def save_authorization_code(self, code, req):
                payload = req.payload.data
                provider.codes[code] = Code(code, req.client.client_id, req.payload.redirect_uri,
                                            req.scope, req.user, payload.get("code_challenge"),
                                            payload.get("code_challenge_method"))

            def query_authorization_code(self, code, client):
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.user

        def save_token(token: dict, req) -> None:
            provider.tokens[token["access_token"]] = Token(token["access_token"],
                                                           token.get("scope", ""), req.user)

        server = AuthorizationServer(app, query_client=provider.clients.get, save_token=save_token)
        server.register_grant(CodeGrant, [StrictCodeChallenge(required=True)])

        class Validator(BearerTokenValidator):
            def authenticate_token(self, token_string):
                return provider.tokens.get(token_string)

        protect = ResourceProtector()
        protect.register_token_validator(Validator())

        @app.get("/authorize")
        def authorize():
            # the person at the browser says yes (a user is set) or no (None)
            return server.create_authorization_response(grant_user=provider.user)

        @app.post("/token")
        def issue_token():
            return server.create_token_response()

        @app.get("/userinfo")
        @protect("profile")
        def userinfo():
            return jsonify(current_token.user)

        return app


@pytest.fixture(scope="session")
def oauth_server() -> Iterator[Provider]:
    provider = Provider()
    yield provider
    provider.server.shutdown()


@pytest.fixture(autouse=True)
def provider(request: pytest.FixtureRequest, oauth_server: Provider) -> Provider:
    """A fresh client registration, passed to the learner's app as OAUTH_* variables."""
    client = oauth_server.reset()
    # autouse fixtures run before the learner's process is configured, so this reaches its env
    request.node.add_marker(pytest.mark.learner_env(
        OAUTH_SERVER_URL=oauth_server.url, OAUTH_CLIENT_ID=client.client_id,
        OAUTH_CLIENT_SECRET=client.client_secret))
    oauth_server.client = client
    return oauth_server
