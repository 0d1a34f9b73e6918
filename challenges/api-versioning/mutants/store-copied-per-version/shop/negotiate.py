"""Unversioned URLs: the API-Version request header picks the version, 1 when it is absent."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from . import v1, v2

# clients that never sent the header were written against version 1: they must keep getting it
DEFAULT_VERSION = v1.VERSION
VERSIONS = {v1.VERSION: v1, v2.VERSION: v2}

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.before_request
def choose_version():
    version = request.headers.get("API-Version", DEFAULT_VERSION).strip()
    if version not in VERSIONS:
        return jsonify(error=f"unsupported API version: {version}", supported=sorted(VERSIONS)), 400
    g.api_version = VERSIONS[version]
    return None


@bp.route("/products", methods=["GET", "POST"])
def products_view():
    return g.api_version.products_view()


@bp.get("/products/<int:product_id>")
def product_view(product_id: int):
    return g.api_version.product_view(product_id)


@bp.after_request
def label(response: Response) -> Response:
    # the same URL answers differently by header: caches must keep one copy per version
    response.vary.add("API-Version")
    version = g.get("api_version")
    return version.label(response) if version is not None else response
