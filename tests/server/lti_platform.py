"""A real LTI 1.3 platform on loopback, for the tool's tests (PyJWT, cryptography and Flask).

It does what an LMS does for a tool: its OIDC authorization endpoint answers the tool's login
redirect with a signed id_token (auto-posted to the tool's launch URL, as a browser would be
made to), it serves its key set, its OAuth2 token endpoint checks the tool's signed client
assertion against the tool's key set, and it records the AGS scores, the NRPS roster requests
and the deep linking answers the tool sends. `stop()` and `start()` take it off the network
and back on the same port (a platform that is down).
"""

from __future__ import annotations

import html
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import components
import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, Response, abort, jsonify, request
from jwt.algorithms import RSAAlgorithm
from werkzeug.serving import make_server

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
COURSE_OFFERING = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
DL_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
MEMBERSHIPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTRUCTOR, LEARNER = ROLE + "Instructor", ROLE + "Learner"
TEACHING_ASSISTANT = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"


@dataclass
class Person:
    """Someone on the platform."""

    subject: str
    name: str
    email: str
    roles: list[str] = field(default_factory=lambda: [LEARNER])


class WsgiThread:
    """A WSGI app served on a loopback port from a thread; stopped and started on that port."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.app, self.port = app, port or components.free_port()
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        assert components.wait_for_port(self.port, timeout=10), "the server did not listen"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(10)


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve a WSGI app (e.g. the tool under test) on loopback; yields its base URL."""
    server = WsgiThread(app)
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


class Platform:
    """The platform: registration values for the tool, launches, and what it received."""

    def __init__(self, host: str = "localhost") -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "platform-" + secrets.token_hex(4)
        self.server = WsgiThread(self._build())
        self.issuer = f"http://{host}:{self.server.port}"
        self.client_id = "grader-tool-" + secrets.token_hex(3)
        self.deployment_id = "deployment-1"
        self.tool_launch_url = ""  # where id_tokens are posted (the tool's /lti/launch)
        self.tool_jwks_url = ""  # where the tool's public keys are (its /lti/jwks)
        self.messages: dict[str, dict[str, Any]] = {}
        self.members: dict[str, list[Person]] = {}
        self.left: dict[str, list[str]] = {}  # subjects the roster lists as deleted
        self.issued: list[dict[str, str]] = []  # every id_token handed out, with its state
        self.tokens: dict[str, list[str]] = {}
        self.token_requests: list[dict[str, Any]] = []
        self.scores: list[dict[str, Any]] = []
        self.roster_requests: list[dict[str, Any]] = []
        self.deep_link_answers: list[dict[str, Any]] = []
        self.score_status = 200  # what the score endpoint answers (e.g. 404: line item gone)
        self.lock = threading.Lock()

    # -- registration values, as an LMS shows them to the admin --------------------------

    @property
    def login_url(self) -> str:
        return self.issuer + "/auth"

    @property
    def token_url(self) -> str:
        return self.issuer + "/token"

    @property
    def jwks_url(self) -> str:
        return self.issuer + "/jwks"

    def register_args(self) -> list[str]:
        """The `flask --app grader lti register` options for this platform."""
        return ["lti", "register", "--issuer", self.issuer, "--client-id", self.client_id,
                "--deployment-id", self.deployment_id, "--login-url", self.login_url,
                "--token-url", self.token_url, "--jwks-url", self.jwks_url]

    def lineitem_url(self, resource_link: str) -> str:
        return f"{self.issuer}/lineitems/{resource_link}"

    def memberships_url(self, context: str) -> str:
        return f"{self.issuer}/contexts/{context}/memberships"

    def start(self) -> Platform:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    # -- launches ---------------------------------------------------------------------

    def launch(self, person: Person, context: str = "flask-101",
               resource_link: str | None = "link-1", custom: dict[str, str] | None = None,
               message_type: str = "LtiResourceLinkRequest", ags: bool = True,
               nrps: bool = True, tamper: Callable[[dict[str, Any]], None] | None = None
               ) -> dict[str, str]:
        """Prepare a launch and return the OIDC login initiation parameters for the tool.

        `tamper` changes the claims before they are signed (a forged or broken launch).
        """
        claims: dict[str, Any] = {
            "sub": person.subject, "name": person.name, "email": person.email,
            "given_name": person.name.split()[0], "family_name": person.name.split()[-1],
            CLAIM + "message_type": message_type, CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": self.deployment_id,
            CLAIM + "target_link_uri": self.tool_launch_url, CLAIM + "roles": person.roles,
            CLAIM + "context": {"id": context, "label": context.upper(),
                                "title": f"Flask course {context}",
                                "type": [COURSE_OFFERING]},
            CLAIM + "custom": dict(custom or {}),
        }
        if message_type == "LtiResourceLinkRequest" and resource_link is not None:
            claims[CLAIM + "resource_link"] = {"id": resource_link, "title": "Flask exercise"}
            if ags:
                claims[AGS] = {"scope": [SCORE, LINEITEM],
                               "lineitems": f"{self.issuer}/contexts/{context}/lineitems",
                               "lineitem": self.lineitem_url(resource_link)}
        if message_type == "LtiDeepLinkingRequest":
            claims[DL_SETTINGS] = {"deep_link_return_url": self.issuer + "/deep_link_return",
                                   "accept_types": ["ltiResourceLink"],
                                   "accept_presentation_document_targets": ["iframe", "window"],
                                   "accept_multiple": False, "data": "opaque-" + context}
        if nrps:
            claims[NRPS] = {"context_memberships_url": self.memberships_url(context),
                            "service_versions": ["2.0"]}
        hint = uuid.uuid4().hex
        self.messages[hint] = {"claims": claims, "tamper": tamper, "login_hint": person.subject}
        return {"iss": self.issuer, "login_hint": person.subject,
                "target_link_uri": self.tool_launch_url, "lti_message_hint": hint,
                "client_id": self.client_id, "lti_deployment_id": self.deployment_id}

    def sign(self, claims: dict[str, Any], key: Any = None, kid: str | None = None) -> str:
        """A JWT signed with the platform's key (or another one, for a forgery)."""
        return jwt.encode(claims, key or self.key, algorithm="RS256",
                          headers={"kid": kid or self.kid})

    def jwk(self) -> dict[str, Any]:
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {**public, "kid": self.kid, "alg": "RS256", "use": "sig"}

    def scores_for(self, resource_link: str) -> list[dict[str, Any]]:
        """The score bodies posted to one line item, oldest first."""
        with self.lock:
            return [s["body"] for s in self.scores if s["lineitem"] == resource_link]

    # -- the platform's endpoints -------------------------------------------------------

    def _tool_key(self, token: str) -> Any:
        kid = jwt.get_unverified_header(token).get("kid")
        for key in requests.get(self.tool_jwks_url, timeout=10).json()["keys"]:
            if key.get("kid") == kid:
                return RSAAlgorithm.from_jwk(key)
        abort(401, f"no tool key {kid}")

    def _bearer(self, scope: str) -> list[str]:
        header = request.headers.get("Authorization", "")
        scopes = self.tokens.get(header.removeprefix("Bearer ").strip())
        if scopes is None or scope not in scopes:
            abort(401)
        return scopes

    def _build(self) -> Flask:
        app = Flask("lti-test-platform")

        @app.get("/jwks")
        def jwks() -> Response:
            return jsonify({"keys": [self.jwk()]})

        @app.route("/auth", methods=["GET", "POST"])
        def auth() -> Any:
            given = request.values
            expected = {"scope": "openid", "response_type": "id_token", "prompt": "none",
                        "response_mode": "form_post", "client_id": self.client_id,
                        "redirect_uri": self.tool_launch_url}
            wrong = {k: given.get(k) for k, v in expected.items() if given.get(k) != v}
            message = self.messages.get(given.get("lti_message_hint", ""))
            if wrong or message is None or given.get("login_hint") != message["login_hint"]:
                return Response(f"invalid authorization request: {wrong}", status=400)
            now = int(time.time())
            claims = {**message["claims"], "iss": self.issuer, "aud": self.client_id,
                      "azp": self.client_id, "iat": now, "exp": now + 300,
                      "nonce": given.get("nonce", "")}
            if message["tamper"] is not None:
                message["tamper"](claims)
            token = claims.pop("__token__", None) or self.sign(claims)
            state = given.get("state", "")
            with self.lock:
                self.issued.append({"id_token": token, "state": state})
            return Response(
                "<!doctype html><title>Launching</title><body>"
                f'<form id="launch" method="post" action="{html.escape(self.tool_launch_url)}">'
                f'<input type="hidden" name="id_token" value="{html.escape(token)}">'
                f'<input type="hidden" name="state" value="{html.escape(state)}">'
                "</form><script>document.getElementById('launch').submit()</script></body>")

        @app.post("/token")
        def token() -> Any:
            form = request.form
            assertion = form.get("client_assertion", "")
            if form.get("grant_type") != "client_credentials" or form.get(
                    "client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:" \
                                                "jwt-bearer":
                return jsonify({"error": "unsupported_grant_type"}), 400
            try:
                claims = jwt.decode(assertion, self._tool_key(assertion), algorithms=["RS256"],
                                    audience=self.token_url, options={"require": ["exp", "iat",
                                                                                  "jti"]})
            except jwt.InvalidTokenError as exc:
                return jsonify({"error": "invalid_client", "error_description": str(exc)}), 401
            if claims.get("iss") != self.client_id or claims.get("sub") != self.client_id:
                return jsonify({"error": "invalid_client"}), 401
            scopes = form.get("scope", "").split()
            access = secrets.token_urlsafe(16)
            with self.lock:
                self.tokens[access] = scopes
                self.token_requests.append({"scopes": scopes, "claims": claims})
            return jsonify({"access_token": access, "token_type": "Bearer", "expires_in": 3600,
                            "scope": " ".join(scopes)})

        @app.post("/lineitems/<item>/scores")
        def scores(item: str) -> Any:
            scopes = self._bearer(SCORE)
            if request.mimetype != "application/vnd.ims.lis.v1.score+json":
                return Response("wrong content type", status=415)
            if self.score_status != 200:
                return Response("the line item is gone", status=self.score_status)
            with self.lock:
                self.scores.append({"lineitem": item, "body": request.get_json(force=True),
                                    "scopes": scopes})
            return jsonify({})

        @app.get("/contexts/<context>/memberships")
        def memberships(context: str) -> Any:
            self._bearer(MEMBERSHIPS)
            with self.lock:
                self.roster_requests.append({"context": context,
                                             "accept": request.headers.get("Accept")})
            members = [{"status": "Active", "user_id": p.subject, "name": p.name,
                        "email": p.email, "roles": p.roles}
                       for p in self.members.get(context, [])]
            members += [{"status": "Deleted", "user_id": s, "roles": [LEARNER]}
                        for s in self.left.get(context, [])]
            answer = jsonify({"id": self.memberships_url(context),
                              "context": {"id": context, "title": f"Flask course {context}"},
                              "members": members})
            answer.mimetype = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
            return answer

        @app.post("/deep_link_return")
        def deep_link_return() -> Any:
            answer = request.form.get("JWT", "")
            try:
                claims = jwt.decode(answer, self._tool_key(answer), algorithms=["RS256"],
                                    audience=self.issuer)
            except jwt.InvalidTokenError as exc:
                return Response(f"invalid deep linking answer: {exc}", status=400)
            with self.lock:
                self.deep_link_answers.append(claims)
            titles = ", ".join(i.get("title", "") for i in claims.get(DL_ITEMS, []))
            return Response(f"<!doctype html><title>Added</title><p id='added'>Added: "
                            f"{html.escape(titles)}</p>")

        @app.get("/course")
        def course_page() -> Any:
            # The LMS's course page, with the tool in an iframe (the login initiation URL).
            target = request.args.get("tool", "")
            return Response("<!doctype html><title>Flask course</title><h1>Flask course</h1>"
                            f'<iframe id="tool" src="{html.escape(target)}" width="1100" '
                            'height="800"></iframe>')

        return app


def login_query(params: dict[str, str]) -> str:
    """The query string of a login initiation."""
    return urlencode(params)
