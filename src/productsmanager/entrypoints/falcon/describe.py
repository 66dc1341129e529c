"""An OpenAPI 3.1 document generated from route declarations and JSON Schemas: every route as it is mounted,
every body as it is validated, every query parameter as it is checked."""

from __future__ import annotations

import re
from typing import Any

from productsmanager.entrypoints.falcon.routing import Operation, QueryParam, Route
from productsmanager.entrypoints.falcon.schemas import NO_NUL, NOT_NUL, UUID, Schema, ref


def describe(routes: tuple[Route, ...], components: dict[str, Schema], version: str) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for route in routes:
        item: dict[str, Any] = {}
        for method, op in route.operations.items():
            operation: dict[str, Any] = {
                "summary": op.summary,
                "operationId": f"{method.lower()}_{route.name}",
                "responses": _responses((op.status, *op.also), op.response, _errors(op)),
            }
            if op.response_media != "application/json":
                operation["responses"][str(op.status)] = {
                    "description": "success",
                    "content": {op.response_media: {"schema": {"type": "string"}}},
                }
            if op.role is not None:
                operation["security"] = [{"bearer": []}]
                operation["description"] = f"Needs the `{op.role.value}` role or higher."
            if op.notes:
                operation["description"] = f"{operation.get('description', '')} {op.notes}".strip()
            params = [_path_param(route, name) for name in re.findall(r"{(\w+)}", route.path)]
            params += [_query_param(param) for param in op.params]
            if params:
                operation["parameters"] = params
            if op.request:
                operation["requestBody"] = {"required": True, "content": _request_content(op)}
            item[method.lower()] = operation
        paths[route.path] = item
    return {
        "openapi": "3.1.0",
        "info": {"title": "Products Manager API", "version": version},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": without_nul(components),
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


def _request_content(op: Operation) -> dict[str, Any]:
    """JSON and multipart forms by their schema; a raw file (`image/*`) as binary."""
    assert op.request is not None
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {media: binary if media.endswith("/*") else {"schema": ref(op.request)} for media in op.request_media}


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


def _path_param(route: Route, name: str) -> dict[str, Any]:
    """Identifiers are UUIDs (a malformed one names nothing: 404); any other text holds no NUL (400), unless
    the route declares the parameter's schema."""
    schema = route.path_params.get(name, UUID if name.endswith("_id") else NO_NUL)
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query_param(param: QueryParam) -> dict[str, Any]:
    described: dict[str, Any] = {"name": param.name, "in": "query", "required": param.required, "schema": param.schema}
    if param.description is not None:
        described["description"] = param.description
    return described
