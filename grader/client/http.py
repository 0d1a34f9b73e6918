"""The grader server's HTTP API v1 and `/live` Socket.IO events, as plain Python calls."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

USER_AGENT = "grader-cli/0.1"


class ClientError(Exception):
    """Anything that stops a request from giving an answer."""


class ServerUnreachable(ClientError):
    """No HTTP answer at all: refused, timed out, bad address, TLS failure."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"cannot reach {url}: {reason}")
        self.url = url
        self.reason = reason


class ApiError(ClientError):
    """The server answered with an error status and (usually) the JSON error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        url: str,
        retry_after: int | None = None,
        details: Any = None,
        body: Any = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.url = url
        self.retry_after = retry_after
        self.details = details
        self.body = body  # the whole JSON answer, for errors that carry a report


def unwrap_list(data: Any, *keys: str) -> list[dict[str, Any]]:
    """A list answer, whether sent bare or wrapped as `{"<key>": [...]}`."""
    if isinstance(data, list):
        return [row for row in data if isinstance(row, dict)]
    if isinstance(data, dict):
        for key in (*keys, "items", "results", "data"):
            if isinstance(data.get(key), list):
                return [row for row in data[key] if isinstance(row, dict)]
    return []


def _retry_after(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return max(0, int(float(value)))
    except ValueError:
        return None  # an HTTP date: rare enough here to show no number


class GraderClient:
    """One server, one optional token; every method returns parsed JSON or raises `ClientError`."""

    def __init__(self, server: str, token: str | None = None, timeout: float = 30.0) -> None:
        self.server = server.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self._statuses: list[dict[str, Any]] | None = None

    def close(self) -> None:
        self.session.close()

    def url(self, path: str) -> str:
        return f"{self.server}/api/v1/{path.lstrip('/')}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send one request; a non-2xx answer becomes `ApiError`, no answer `ServerUnreachable`."""
        url = self.url(path)
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.exceptions.InvalidURL as exc:
            raise ServerUnreachable(url, f"the address is not valid ({exc})") from None
        except requests.exceptions.SSLError:
            raise ServerUnreachable(url, "the TLS handshake failed") from None
        except requests.exceptions.Timeout:
            raise ServerUnreachable(url, f"no answer within {kwargs['timeout']:.0f} s") from None
        except requests.exceptions.ConnectionError:
            raise ServerUnreachable(
                url, "the connection was refused or the host is unknown"
            ) from None
        except requests.exceptions.RequestException as exc:
            raise ServerUnreachable(url, str(exc)) from None
        if response.status_code >= 400:
            raise self._error(response, url)
        return response

    def _error(self, response: requests.Response, url: str) -> ApiError:
        code, message, details = "http_error", "", None
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            err = body["error"]
            code = str(err.get("code") or code)
            message = str(err.get("message") or "")
            details = err.get("details")
        elif isinstance(body, dict) and isinstance(body.get("error"), str):
            message = body["error"]
        if not message:
            message = response.reason or f"HTTP {response.status_code}"
        return ApiError(
            response.status_code,
            code,
            message,
            url,
            retry_after=_retry_after(response.headers.get("Retry-After")),
            details=details,
            body=body,
        )

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise ApiError(
                response.status_code,
                "bad_response",
                "the server's answer was not JSON; is this a grader server?",
                self.url(path),
            ) from None

    # --- the API v1 endpoints -------------------------------------------------------------

    def create_token(self, username: str, password: str, name: str) -> dict[str, Any]:
        """POST /tokens: trade a username and password for an API token (shown once)."""
        data = self.json(
            "POST", "tokens", json={"username": username, "password": password, "name": name}
        )
        if not isinstance(data, dict) or not isinstance(data.get("token"), str):
            raise ApiError(
                200, "bad_response", "the server did not return a token", self.url("tokens")
            )
        return data

    def statuses(self) -> list[dict[str, Any]]:
        """GET /statuses: the server's status vocabulary (asked once per client)."""
        if self._statuses is None:
            self._statuses = unwrap_list(self.json("GET", "statuses"), "statuses")
        return self._statuses

    def final_statuses(self) -> frozenset[str]:
        """The statuses after which a submission's grading is over."""
        return frozenset(str(s.get("name")) for s in self.statuses() if s.get("final"))

    def challenges(self) -> list[dict[str, Any]]:
        return unwrap_list(self.json("GET", "challenges"), "challenges")

    def challenge(self, slug: str) -> dict[str, Any]:
        data = self.json("GET", f"challenges/{slug}")
        if isinstance(data, dict) and isinstance(data.get("challenge"), dict):
            return data["challenge"]
        return data

    def starter_zip(self, slug: str) -> bytes:
        return self.request("GET", f"challenges/{slug}/starter").content

    def submit(
        self, slug: str, files: Mapping[str, bytes], course: str | None = None
    ) -> dict[str, Any]:
        """POST /submissions: one multipart field per file, named by its path (and a course)."""
        parts = [
            (path, (path.rsplit("/", 1)[-1], content, "application/octet-stream"))
            for path, content in files.items()
        ]
        fields = {"challenge": slug, **({"course": course} if course else {})}
        return self.json("POST", "submissions", data=fields, files=parts)

    def submission(self, submission_id: int) -> dict[str, Any]:
        return self.json("GET", f"submissions/{submission_id}")

    def submissions(self, challenge: str | None = None,
                    limit: int | None = None) -> list[dict[str, Any]]:
        """My submissions, newest first: pages are fetched until `limit` rows (or the last)."""
        params: dict[str, Any] = {"challenge": challenge} if challenge else {}
        data = self.json("GET", "submissions", params=params or None)
        rows = unwrap_list(data, "submissions")
        # The server sends a page at a time (`next` is null on the last); older ones sent all.
        while (isinstance(data, dict) and data.get("next") and isinstance(data.get("page"), int)
               and (limit is None or len(rows) < limit)):
            params.update(page=data["page"] + 1, per_page=data.get("per_page"))
            data = self.json("GET", "submissions", params=params)
            more = unwrap_list(data, "submissions")
            if not more:
                break
            rows += more
        return rows if limit is None else rows[:limit]

    def quiz(self, slug: str) -> dict[str, Any]:
        """GET /challenges/<slug>/quiz: the questions (no answers) and my attempts."""
        return self.json("GET", f"challenges/{slug}/quiz")

    def answer_quiz(
        self,
        slug: str,
        answers: Mapping[str, Any],
        attempt: int | None = None,
        wait: int = 30,
        course: str | None = None,
    ) -> dict[str, Any]:
        """POST /challenges/<slug>/quiz/answers: a new attempt, or more answers to `attempt`.

        The server waits up to `wait` seconds for the grading; the record's status says
        whether it is done (202 answers still queued or running). With `course`, a new
        attempt counts for that course's assignment.
        """
        body: dict[str, Any] = {"answers": dict(answers)}
        if attempt is not None:
            body["attempt"] = attempt
        if course:
            body["course"] = course
        return self.json(
            "POST",
            f"challenges/{slug}/quiz/answers",
            params={"wait": wait},
            json=body,
            timeout=max(self.timeout, wait + 30),
        )

    def leaderboard(self) -> list[dict[str, Any]]:
        return unwrap_list(self.json("GET", "leaderboard"), "rows", "leaderboard")

    def courses(self) -> list[dict[str, Any]]:
        """GET /courses: the courses I am in."""
        return unwrap_list(self.json("GET", "courses"), "courses")

    def course(self, slug: str) -> dict[str, Any]:
        """GET /courses/SLUG: its assignments with my dates and credited scores."""
        return self.json("GET", f"courses/{slug}")

    def join(self, code: str) -> dict[str, Any]:
        """POST /courses/join: join a course with its code."""
        return self.json("POST", "courses/join", json={"code": code})

    def gradebook(self, slug: str) -> dict[str, Any]:
        """GET /courses/SLUG/gradebook (course staff)."""
        return self.json("GET", f"courses/{slug}/gradebook")

    def gradebook_csv(self, slug: str) -> str:
        """GET /courses/SLUG/gradebook?format=csv: the registrar's CSV, as text."""
        response = self.request(
            "GET", f"courses/{slug}/gradebook", params={"format": "csv"},
            headers={"Accept": "text/csv"},
        )
        return response.text

    def push_challenge(self, archive: bytes, filename: str, wait: int = 0) -> dict[str, Any]:
        """POST /challenges: a zipped challenge folder; a grading worker checks it in the sandbox.

        With `wait=0` the server answers at once (202 while the check runs); the answer's
        `state` says whether it is done.
        """
        return self.json(
            "POST",
            "challenges",
            params={"wait": wait},
            timeout=max(self.timeout, wait + 30),
            files={"archive": (filename, archive, "application/zip")},
        )

    def challenge_version(self, slug: str, number: int) -> dict[str, Any]:
        """GET /challenges/<slug>/versions/<n>: a version and its check (teachers)."""
        return self.json("GET", f"challenges/{slug}/versions/{number}")

    def live(self) -> LiveFeed:
        """A connected `/live` Socket.IO feed authenticated with this client's token."""
        feed = LiveFeed(self.server, self.token)
        feed.connect()
        return feed


class LiveFeed:
    """The `/live` namespace's events, queued as `(event, payload)` for the caller's thread."""

    NAMESPACE = "/live"
    EVENTS = ("submission.update", "test.result", "leaderboard.update", "validation.update")

    def __init__(self, server: str, token: str | None, timeout: float = 10.0) -> None:
        self.server = server
        self.token = token
        self.timeout = timeout
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.disconnected = threading.Event()
        # Imported here: only `submit` follows events, and the import costs every command 0.2 s.
        import socketio

        self.sio = socketio.Client(
            reconnection=True, reconnection_attempts=5, logger=False, engineio_logger=False
        )
        self.connection_error = socketio.exceptions.ConnectionError
        for name in self.EVENTS:
            self.sio.on(name, self._handler(name), namespace=self.NAMESPACE)
        self.sio.on("disconnect", lambda *reason: self.disconnected.set(), namespace=self.NAMESPACE)

    def _handler(self, name: str) -> Callable[[Any], None]:
        def handle(payload: Any = None) -> None:
            self.events.put((name, payload))

        return handle

    def connect(self) -> None:
        # A server published under a path (https://host/grader) serves Socket.IO below it too.
        parts = urlsplit(self.server)
        origin = f"{parts.scheme}://{parts.netloc}"
        try:
            self.sio.connect(
                origin,
                namespaces=[self.NAMESPACE],
                auth={"token": self.token},
                headers={"User-Agent": USER_AGENT},
                wait_timeout=self.timeout,
                socketio_path=f"{parts.path.rstrip('/')}/socket.io",
            )
        except self.connection_error as exc:
            raise ServerUnreachable(
                f"{self.server}/socket.io ({self.NAMESPACE})",
                str(exc) or "the live connection was refused",
            ) from None

    def get(self, timeout: float) -> tuple[str, Any] | None:
        """The next event, or None when none arrives within `timeout` seconds."""
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self, wait_s: float = 0.5) -> None:
        """Disconnect, waiting at most `wait_s`: some servers never answer the WebSocket close
        handshake, and the client would otherwise wait 3 s for nothing."""
        # shutdown() also stops reconnection attempts still pending in the background.
        closer = threading.Thread(target=self.sio.shutdown, name="live-close", daemon=True)
        closer.start()
        closer.join(wait_s)
