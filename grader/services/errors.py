"""The one error type of the service layer."""

from __future__ import annotations


class ServiceError(Exception):
    """An expected failure: HTTP status + stable code + a message for people."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def to_dict(self) -> dict[str, dict[str, str]]:
        """The JSON error shape of the API."""
        return {"error": {"code": self.code, "message": self.message}}

    def __repr__(self) -> str:
        return f"ServiceError({self.status}, {self.code!r}, {self.message!r})"


def not_found(what: str) -> ServiceError:
    """A 404 with a message naming what is missing."""
    return ServiceError(404, "not_found", f"{what} was not found")


def forbidden(message: str = "You do not have permission to do this") -> ServiceError:
    """A 403."""
    return ServiceError(403, "forbidden", message)
