"""Every API answer the server tests receive is checked against the served OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import PathError
from werkzeug.test import TestResponse


class AnsweredRequest(WerkzeugOpenAPIRequest):
    """The request side of an exchange already answered: its body was read by the server.

    Checking an answer needs the request's method and path, never its body.
    """

    @property
    def body(self) -> bytes | None:
        return None


class CheckedClient(FlaskClient):
    """A test client that keeps every `/api/v1/` exchange for `check_api_answers`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_answers: list[TestResponse] = []

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = super().open(*args, **kwargs)
        if response.request.path.startswith("/api/v1/"):
            self.api_answers.append(response)
        return response


def check_api_answers(client: CheckedClient) -> list[str]:
    """The answers that do not match the document (status, media type or body schema).

    Answers to paths or methods the document does not describe (the API's catch-all 404 and
    405) are not operations, so they are not checked here.
    """
    if not client.api_answers:
        return []
    document = client.get("/api/v1/openapi.json").get_json()
    spec = OpenAPI.from_dict(document)
    problems = []
    for response in client.api_answers:
        request = response.request
        try:
            spec.validate_response(AnsweredRequest(request),
                                   WerkzeugOpenAPIResponse(response))
        except PathError:
            continue
        except Exception as exc:  # noqa: BLE001 - every kind of mismatch is reported the same way
            detail = getattr(exc, "__cause__", None) or exc
            problems.append(f"{request.method} {request.path} -> {response.status_code}: "
                            f"{type(exc).__name__}: {detail}")
    return problems
