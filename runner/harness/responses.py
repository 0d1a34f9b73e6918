"""What the `client` fixture returns: a test response rebuilt from plain data, never an object."""

from __future__ import annotations

import base64
import json
from typing import Any


class ResponseFormatError(AssertionError):
    """A response a test cannot read as asked; `public` names no learner-chosen text."""

    def __init__(self, public: str, detail: str | None = None) -> None:
        super().__init__(detail or public)
        self.public = public
        self.detail = detail or public


class Headers:
    """Case-insensitive response headers with `get` and `getlist`."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._items = items

    def get(self, name: str, default: Any = None) -> Any:
        for key, value in self._items:
            if key.lower() == name.lower():
                return value
        return default

    def getlist(self, name: str) -> list[str]:
        return [v for k, v in self._items if k.lower() == name.lower()]

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def keys(self) -> list[str]:
        return [k for k, _ in self._items]

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


class Response:
    """What `client` returns: the parts of a Flask test response that tests read."""

    def __init__(self, reply: dict) -> None:
        self.status_code = int(reply["status"])
        self.headers = Headers([(k, v) for k, v in reply["headers"]])
        self.data = base64.b64decode(reply["body"])
        request_path = reply.get("request_path")
        self.request_path = request_path if isinstance(request_path, str) else ""

    @property
    def status(self) -> str:
        return str(self.status_code)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    def get_data(self, as_text: bool = False) -> bytes | str:
        return self.text if as_text else self.data

    @property
    def mimetype(self) -> str | None:
        value = self.headers.get("Content-Type")
        return value.split(";", 1)[0].strip().lower() if value else None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    @property
    def is_json(self) -> bool:
        mt = self.mimetype or ""
        return mt == "application/json" or (mt.startswith("application/") and mt.endswith("+json"))

    def get_json(self, silent: bool = False, force: bool = False) -> Any:
        if not (force or self.is_json):
            if silent:
                return None
            raise ResponseFormatError("The response is not JSON",
                                      f"the response is {self.mimetype or 'untyped'}, not JSON")
        try:
            return json.loads(self.data)
        except (ValueError, RecursionError):
            if silent:
                return None
            raise ResponseFormatError("The response body is not valid JSON") from None

    @property
    def json(self) -> Any:
        return self.get_json()

    def __repr__(self) -> str:
        return f"<Response {self.status_code} {self.mimetype}>"
