"""OpenAPI 3.1 document generated from the route table and the validation schemas."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from productsmanager.domain.media import THUMBNAIL_SIZES_SMALLEST_FIRST
from productsmanager.entrypoints.falcon.routes import ROUTES, Operation
from productsmanager.entrypoints.falcon.schemas import COMPONENTS, ref
from productsmanager.entrypoints.falcon.settings_schemas import SECTION_SCHEMAS

QUERY_DESCRIPTIONS = {
    "limit": "page size, 1-200 (default 50)",
    "cursor": "opaque cursor from the previous page's next_cursor",
    "sort": "updated_at (default), created_at or name; a leading '-' means descending",
    "order": "asc or desc",
    "q": "name or brand containing it, or an EAN starting with it",
    "expires": "Unix time the signed URL expires at (part of the URL the API hands out)",
    "signature": "hex HMAC-SHA256 of the path and expires (part of the URL the API hands out)",
}
# Query parameters without which the request is refused (403 for a signed URL's parts).
REQUIRED_QUERY = frozenset({"expires", "signature"})


@cache
def openapi_document(version: str = "0.1.0") -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for route in ROUTES:
        item: dict[str, Any] = {}
        for method, op in route.operations.items():
            path_params = re.findall(r"{(\w+)}", route.path)
            operation: dict[str, Any] = {
                "summary": op.summary,
                "operationId": f"{method.lower()}_{route.resource}",
                "responses": _responses((op.status, *op.also), op.response, _errors(op)),
            }
            if op.role is not None:
                operation["security"] = [{"bearer": []}]
                operation["description"] = f"Needs the `{op.role.value}` role or higher."
            params = [_path_param(n) for n in path_params]
            params += [_query_param(n) for n in op.params]
            if params:
                operation["parameters"] = params
            if op.request:
                operation["requestBody"] = {"required": True, "content": _request_content(op.request)}
            item[method.lower()] = operation
        paths[route.path] = item
    return {
        "openapi": "3.1.0",
        "info": {"title": "Products Manager API", "version": version},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": without_nul(COMPONENTS),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def without_nul(node: Any) -> Any:
    """The schemas as the boundary enforces them: every free text (not a choice, a format or a pattern of its
    own) gets the NUL guard's rule, as `not` a pattern (a `^[^\\x00]*$` pattern with a long maxLength makes
    generators crawl). The validators need not repeat it: the guard runs before them."""
    if isinstance(node, list):
        return [without_nul(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: without_nul(value) for key, value in node.items()}
    kind = node.get("type")
    is_text = kind == "string" or (isinstance(kind, list) and "string" in kind)
    if is_text and not {"enum", "const", "format", "pattern", "not"} & node.keys():
        copy["not"] = NOT_NUL
    return copy


UPLOAD = "ImageUpload"


def _request_content(schema: str) -> dict[str, Any]:
    """Uploads take a multipart `file` part or the raw image; everything else takes JSON."""
    if schema == UPLOAD:
        binary = {"schema": {"type": "string", "format": "binary"}}
        return {"multipart/form-data": {"schema": ref(schema)}, "image/*": binary}
    if schema == "ImportUpload":
        return {"multipart/form-data": {"schema": ref(schema)}}
    return {"application/json": {"schema": ref(schema)}}


def _errors(op: Operation) -> tuple[int, ...]:
    """A JSON body can also be malformed (400), too large (413) or of another media type (415); any request
    can carry a malformed path or query parameter (400: a NUL in it, even in a parameter the route ignores);
    any operation can meet a dependency that is down (503 with Retry-After), except one answering 503 with
    its own body."""
    body_errors = (413, 415) if op.request else ()
    unavailable = () if 503 in op.also else (503,)
    return tuple(sorted({*op.errors, *body_errors, 400, *unavailable}))


def _responses(statuses: tuple[int, ...], response: str | None, errors: tuple[int, ...]) -> dict[str, Any]:
    ok: dict[str, Any] = {"description": "success"}
    if response:
        ok["content"] = {"application/json": {"schema": ref(response)}}
    responses: dict[str, Any] = {str(status): ok for status in statuses}
    for code in errors:
        responses[str(code)] = {
            "description": "problem",
            "content": {"application/problem+json": {"schema": ref("Problem")}},
        }
        if code == 503:  # a dependency is down: when to ask again
            responses[str(code)]["headers"] = {"Retry-After": {"schema": {"type": "integer", "minimum": 0}}}
    return responses


PATH_SCHEMAS: dict[str, dict[str, Any]] = {
    "section": {"type": "string", "enum": list(SECTION_SCHEMAS)},
    "size": {"type": "string", "enum": list(THUMBNAIL_SIZES_SMALLEST_FIRST)},
    # As `parse_supplier_code` reads it: trimmed, any case, 1-50 letters, digits, '_', '.' or '-' (else 422).
    "supplier_code": {"type": "string", "pattern": "^\\s*[A-Za-z0-9][A-Za-z0-9_.-]{0,49}\\s*$"},
}
NOT_NUL = {"type": "string", "pattern": "\\x00"}  # patterns search: a text holding a NUL, refused by the guard
NO_NUL = {"type": "string", "not": NOT_NUL}


def _path_param(name: str) -> dict[str, Any]:
    """Identifiers are UUIDs (a malformed one names nothing: 404); any other text holds no NUL (400)."""
    schema = PATH_SCHEMAS.get(name, {"type": "string", "format": "uuid"} if name.endswith("_id") else NO_NUL)
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query_param(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = NO_NUL
    if name.startswith(("has_", "in_")) or name == "force":
        schema = {"type": "boolean"}
    elif name == "limit":
        schema = {"type": "integer", "minimum": 1, "maximum": 200}
    elif name == "expires":
        schema = {"type": "integer", "minimum": 0}
    elif name == "signature":
        schema = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
    param = {"name": name, "in": "query", "required": name in REQUIRED_QUERY, "schema": schema}
    if name in QUERY_DESCRIPTIONS:
        param["description"] = QUERY_DESCRIPTIONS[name]
    return param
