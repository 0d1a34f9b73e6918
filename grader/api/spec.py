"""Route metadata and the OpenAPI document built from it."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from werkzeug.routing import Rule

ERROR_SCHEMA = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}
RECORD_SCHEMA = {"type": "object", "properties": {
    "id": {"type": "integer"}, "challenge": {"type": "string"}, "user": {"type": "string"},
    "status": {"type": "string", "enum": ["queued", "running", "passed", "failed", "error",
                                          "timeout", "memory", "rejected", "internal_error"]},
    "score": {"type": "integer"}, "max_score": {"type": "integer"},
    "tests": {"type": "array", "items": {"$ref": "#/components/schemas/TestResult"}},
    "submitted_at": {"type": "string", "format": "date-time"},
    "started_at": {"type": "string", "format": "date-time", "nullable": True},
    "finished_at": {"type": "string", "format": "date-time", "nullable": True},
    "timings_ms": {"type": "object", "additionalProperties": {"type": "integer"}}}}
TEST_SCHEMA = {"type": "object", "properties": {
    "id": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "string"},
    "points": {"type": "integer"}, "max_points": {"type": "integer"},
    "message": {"type": "string"}, "duration_ms": {"type": "integer"}}}


def describe(*, auth: str = "token", tags: tuple[str, ...] = (), body: dict | None = None,
             responses: dict[int, str] | None = None, query: dict[str, str] | None = None,
             returns: str | None = None) -> Callable:
    """Attach OpenAPI metadata to a view.

    auth: "none" (public), "optional", "token" or "teacher". body: a requestBody object.
    responses: extra status -> description. query: query parameter -> description.
    returns: a component schema name for the success response.
    """
    def decorate(view: Callable) -> Callable:
        view.__api__ = {"auth": auth, "tags": tags, "body": body, "responses": responses or {},
                        "query": query or {}, "returns": returns}
        return view
    return decorate


def _path(rule: Rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def _operation(rule: Rule, method: str, view: Callable, meta: dict[str, Any]) -> dict[str, Any]:
    doc = inspect.getdoc(view) or view.__name__
    summary, _, description = doc.partition("\n")
    op: dict[str, Any] = {"operationId": f"{view.__name__}_{method.lower()}",
                          "summary": summary.strip(), "tags": list(meta["tags"])}
    if description.strip():
        op["description"] = description.strip()
    params = [{"name": arg, "in": "path", "required": True,
               "schema": {"type": "integer" if rule._converters[arg].__class__.__name__
                          == "IntegerConverter" else "string"}}
              for arg in sorted(rule.arguments)]
    params += [{"name": name, "in": "query", "required": False, "description": text,
                "schema": {"type": "string"}} for name, text in meta["query"].items()]
    if params:
        op["parameters"] = params
    if meta["body"] and method in ("POST", "PUT", "PATCH"):
        op["requestBody"] = meta["body"]
    success = 202 if meta["responses"].get(202) else (201 if meta["responses"].get(201) else 200)
    ok_text = meta["responses"].get(success, "Success")
    ok: dict[str, Any] = {"description": ok_text}
    if meta["returns"]:
        ok["content"] = {"application/json": {"schema": {
            "$ref": f"#/components/schemas/{meta['returns']}"}}}
    responses: dict[str, Any] = {str(success): ok}
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for status, text in meta["responses"].items():
        if status != success:
            responses[str(status)] = {"description": text, **(error if status >= 400 else {})}
    if meta["auth"] in ("token", "teacher"):
        op["security"] = [{"bearer": []}]
        responses.setdefault("401", {"description": "Missing, invalid, revoked or expired token",
                                     **error})
    if meta["auth"] == "teacher":
        responses.setdefault("403", {"description": "Teachers only", **error})
    op["responses"] = responses
    return op


def build(app: Flask | None = None) -> dict[str, Any]:
    """The OpenAPI 3.0 document of every `api.*` route, from the routes' metadata and docstrings."""
    app = app or current_app
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("api."):
            continue
        view = app.view_functions[rule.endpoint]
        meta = getattr(view, "__api__", None)
        if meta is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(_path(rule), {})[method.lower()] = _operation(rule, method, view, meta)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Flask concept grader API", "version": "1",
                 "description": "Challenges, submissions graded in a sandbox, live results "
                                "(Socket.IO namespace /live) and the leaderboard."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR_SCHEMA, "Record": RECORD_SCHEMA, "TestResult": TEST_SCHEMA},
        },
    }
