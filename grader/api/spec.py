"""Route metadata and the OpenAPI document apispec builds from it and the marshmallow schemas."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app
from marshmallow import Schema
from werkzeug.routing import Rule

from . import schemas

Body = type[Schema] | dict[str, Any]


def describe(*, auth: str = "token", tags: tuple[str, ...] = (), body: Body | None = None,
             query: type[Schema] | None = None, ok: int = 200,
             returns: type[Schema] | str | None = None, ok_text: str = "Success",
             errors: dict[int, str] | None = None,
             also: dict[int, tuple[type[Schema], str]] | None = None,
             error_bodies: dict[int, type[Schema]] | None = None) -> Callable:
    """Attach OpenAPI metadata to a view.

    auth: "none" (public), "optional", "token" or "teacher". body: the JSON request schema, or a
    requestBody object for other media. query: the query-string schema. ok: the success status;
    returns: its JSON schema, or a media type such as "application/zip". errors: status ->
    description of the error answers (they all have the `Error` shape). also: other answers
    that are not errors, status -> (schema, description). error_bodies: status -> a second
    shape an error answer of that status may take instead (e.g. a report beside the error).
    """
    def decorate(view: Callable) -> Callable:
        view.__api__ = {"auth": auth, "tags": tags, "body": body, "query": query, "ok": ok,
                        "returns": returns, "ok_text": ok_text, "errors": errors or {},
                        "also": also or {}, "error_bodies": error_bodies or {}}
        return view
    return decorate


def _path(rule: Rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def _json(schema: type[Schema]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _operation(rule: Rule, method: str, view: Callable, meta: dict[str, Any]) -> dict[str, Any]:
    doc = inspect.getdoc(view) or view.__name__
    summary, _, description = doc.partition("\n")
    op: dict[str, Any] = {"operationId": f"{view.__name__}_{method.lower()}",
                          "summary": summary.strip(), "tags": list(meta["tags"])}
    if description.strip():
        op["description"] = description.strip()
    params: list[dict[str, Any]] = [
        {"name": arg, "in": "path", "required": True,
         "schema": {"type": "integer" if type(rule._converters[arg]).__name__
                    == "IntegerConverter" else "string"}}
        for arg in sorted(rule.arguments)]
    if meta["query"] is not None:
        params.append({"in": "query", "schema": meta["query"]})
    if params:
        op["parameters"] = params
    body = meta["body"]
    if body is not None and method in ("POST", "PUT", "PATCH"):
        op["requestBody"] = body if isinstance(body, dict) else {"required": True,
                                                                "content": _json(body)}
    returns = meta["returns"]
    ok: dict[str, Any] = {"description": meta["ok_text"]}
    if isinstance(returns, str):
        ok["content"] = {returns: {"schema": {"type": "string", "format": "binary"}}}
    elif returns is not None:
        ok["content"] = _json(returns)
    responses: dict[str, Any] = {str(meta["ok"]): ok}
    for status, (schema, text) in meta["also"].items():
        responses[str(status)] = {"description": text, "content": _json(schema)}
    errors = dict(meta["errors"])
    if meta["auth"] in ("token", "teacher"):
        op["security"] = [{"bearer": []}]
        errors.setdefault(401, "Missing, invalid, revoked or expired token")
    if meta["auth"] == "teacher":
        errors.setdefault(403, "Teachers only")
    if meta["body"] is not None or meta["query"] is not None:
        errors.setdefault(422, "A field has the wrong type or is missing")
    for status, text in sorted(errors.items()):
        other = meta["error_bodies"].get(status)
        shape = schemas.Error if other is None else {"oneOf": [schemas.Error, other]}
        responses[str(status)] = {"description": text,
                                  "content": {"application/json": {"schema": shape}}}
    op["responses"] = responses
    return op


def build(app: Flask | None = None) -> dict[str, Any]:
    """The OpenAPI 3.0 document of every `api.*` route, from its metadata and docstring."""
    app = app or current_app
    spec = APISpec(
        title="Flask concept grader API", version="1", openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Challenges, submissions graded in a sandbox, live results "
                             "(Socket.IO namespace /live) and the leaderboard."},
        servers=[{"url": "/"}])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name in ("TestResult", "Record", "Error"):  # nested schemas first
        spec.components.schema(name, schema=getattr(schemas, name))
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        meta = getattr(view, "__api__", None) if rule.endpoint.startswith("api.") else None
        if meta is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(_path(rule), {})[method.lower()] = _operation(rule, method, view,
                                                                           meta)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
